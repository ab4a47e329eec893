"""X's text rules: twitter-text v3 weighted length, URLs, cashtags, mentions and hashtags.

Weighting (twitter-text `config/v3.json`): the text is NFC-normalised; each code point in the ranges
below weighs 1, every other code point 2; each URL weighs 23 whatever its length; an emoji sequence
(ZWJ joins, skin tones, flags, keycaps) weighs 2 as a whole. 280 is the limit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mcp_servers.core.errors import InvalidInput
from mcp_servers.twitter.const import (
    HASHTAG_WARNING,
    MAX_CASHTAGS,
    MAX_HANDLE_LENGTH,
    MAX_MENTIONS,
    MAX_WEIGHTED_LENGTH,
    URL_WEIGHT,
)

_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_EMOJI_MODIFIERS = {0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))
_ZWJ = 0x200D
_KEYCAP_BASES = set("0123456789#*")
_TEXT_STYLE_EMOJI = {0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139}  # emoji only when followed by FE0F

# Common TLDs for URLs written without a scheme ("shop.example.com/sale"); X links and counts those too.
_TLDS = (
    "com|org|net|io|co|ai|app|dev|shop|store|info|biz|me|tv|xyz|online|site|tech|us|uk|de|fr|es|it|nl|"
    "eu|ca|au|in|jp|cn|br|ru|ch|se|no|dk|fi|pl|be|at|ie|nz|za|mx|ly|gg|to|fm|so|sh|edu|gov"
)
_TRAILING = ".,;:!?)]}'\"…"
_URL = re.compile(
    r"(?<![\w@#$.\-/])(?:https?://[^\s<>\"]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")"
    r"(?![\w-])(?::\d{1,5})?(?:/[^\s<>\"]*)?)",
    re.IGNORECASE,
)
_CASHTAG = re.compile(
    r"(?:^|(?<=\s))\$([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\s|[!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$])", re.I
)
_MENTION = re.compile(r"(?:^|(?<=[^\w@!#$%&*]))[@＠](\w+)")
_HASHTAG = re.compile(r"(?:^|(?<=[^\w&]))[#＃](\w+)")


@dataclass(frozen=True)
class TextCheck:
    """What X will make of a post's text."""

    weighted_length: int
    urls: list[str] = field(default_factory=list)
    cashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_url(self) -> bool:
        return bool(self.urls)


def extract_urls(text: str) -> list[str]:
    return [m.group(0).rstrip(_TRAILING) for m in _URL.finditer(text)]


def _code_point_weight(cp: int) -> int:
    return 1 if any(lo <= cp <= hi for lo, hi in _LIGHT_RANGES) else 2


def _is_emoji_start(chars: str, i: int) -> bool:
    cp = ord(chars[i])
    nxt = ord(chars[i + 1]) if i + 1 < len(chars) else 0
    if chars[i] in _KEYCAP_BASES:
        return nxt == 0x20E3 or (nxt == 0xFE0F and i + 2 < len(chars) and ord(chars[i + 2]) == 0x20E3)
    if cp in _TEXT_STYLE_EMOJI:
        return nxt == 0xFE0F
    return 0x1F000 <= cp <= 0x1FAFF or 0x2190 <= cp <= 0x2BFF or cp in (0x3030, 0x303D, 0x3297, 0x3299)


def _emoji_end(chars: str, i: int) -> int:
    """Index just past the emoji sequence starting at `i` (regional-indicator pairs, ZWJ chains)."""
    cp = ord(chars[i])
    j = i + 1
    if 0x1F1E6 <= cp <= 0x1F1FF and j < len(chars) and 0x1F1E6 <= ord(chars[j]) <= 0x1F1FF:
        return j + 1
    while j < len(chars):
        c = ord(chars[j])
        if c in _EMOJI_MODIFIERS:
            j += 1
        elif c == _ZWJ and j + 1 < len(chars) and _is_emoji_start(chars, j + 1):
            j += 2
        else:
            break
    return j


def _plain_weight(chars: str) -> int:
    total, i = 0, 0
    while i < len(chars):
        if _is_emoji_start(chars, i):
            i = _emoji_end(chars, i)
            total += 2
        else:
            total += _code_point_weight(ord(chars[i]))
            i += 1
    return total


def weighted_length(text: str) -> int:
    """X's weighted length of `text` (280 is the maximum)."""
    normalized = unicodedata.normalize("NFC", text)
    total, last = 0, 0
    for match in _URL.finditer(normalized):
        url = match.group(0).rstrip(_TRAILING)
        total += _plain_weight(normalized[last : match.start()]) + URL_WEIGHT
        last = match.start() + len(url)
    return total + _plain_weight(normalized[last:])


def check_text(text: str, field_name: str = "text") -> TextCheck:
    """Refuse what X would refuse (or what would misfire); return the facts for the preview."""
    if not text or not text.strip():
        raise InvalidInput("the post is empty; write the text to post.", field=field_name)
    if "\x00" in text:
        raise InvalidInput("the text contains a NUL character.", field=field_name)
    length = weighted_length(text)
    if length > MAX_WEIGHTED_LENGTH:
        raise InvalidInput(
            f"the post is {length} weighted characters; X allows {MAX_WEIGHTED_LENGTH} (each URL counts "
            f"{URL_WEIGHT}, emoji and CJK characters count 2). Shorten it by {length - MAX_WEIGHTED_LENGTH}, "
            "or split it into a thread.",
            field=field_name,
        )
    cashtags = [m.group(1) for m in _CASHTAG.finditer(text)]
    if len(cashtags) > MAX_CASHTAGS:
        raise InvalidInput(
            f"the post has {len(cashtags)} cashtags ({', '.join('$' + c for c in cashtags)}); X allows "
            f"{MAX_CASHTAGS} per post. Keep one.",
            field=field_name,
        )
    mentions = [m.group(1) for m in _MENTION.finditer(text)]
    if len(mentions) > MAX_MENTIONS:
        raise InvalidInput(
            f"the post mentions {len(mentions)} accounts; more than {MAX_MENTIONS} reads as bulk "
            "mentioning, which X's automation rules forbid.",
            field=field_name,
        )
    hashtags = [m.group(1) for m in _HASHTAG.finditer(text)]
    return TextCheck(length, extract_urls(text), cashtags, mentions, hashtags, _warnings(mentions, hashtags))


def _warnings(mentions: list[str], hashtags: list[str]) -> list[str]:
    warnings = [
        f"@{m} is longer than {MAX_HANDLE_LENGTH} characters, so it is not a valid X handle and will not link."
        for m in mentions
        if len(m) > MAX_HANDLE_LENGTH
    ]
    warnings += [f"#{h} is only digits, so X will not link it as a hashtag." for h in hashtags if h.isdigit()]
    if len(hashtags) > HASHTAG_WARNING:
        warnings.append(f"{len(hashtags)} hashtags: X suggests one or two; more tends to lower reach.")
    return warnings
