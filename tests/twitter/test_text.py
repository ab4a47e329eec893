"""X's weighted length and text rules (twitter-text v3)."""

from __future__ import annotations

import pytest

from mcp_servers.core.errors import InvalidInput
from mcp_servers.twitter.text import check_text, weighted_length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("日本語", 6),  # CJK weighs 2
        ("café", 4),
        ("e\u0301", 1),  # NFC-normalised first
        ("😀", 2),
        ("👍🏽", 2),  # skin tone joins the emoji
        ("👨‍👩‍👧‍👦", 2),  # a ZWJ family is one emoji
        ("🇯🇵", 2),  # a flag is one emoji
        ("1️⃣", 2),  # keycap
        ("“quotes” – dash…", 17),  # quotes and dashes weigh 1; the ellipsis U+2026 weighs 2
        ("https://example.com/a/very/long/path/that/goes/on/and/on", 23),
        ("http://x.co", 23),  # short URLs count 23 too
        ("see shop.example.com/sale.", 4 + 23 + 1),  # a URL without a scheme still counts 23
        ("mail me: a@b", 12),
    ],
)
def test_weighted_length(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_280_passes_and_281_is_refused_with_the_count() -> None:
    assert check_text("a" * 280).weighted_length == 280
    assert check_text("日" * 140).weighted_length == 280
    with pytest.raises(InvalidInput, match="281 weighted characters; X allows 280"):
        check_text("a" * 279 + "日")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        check_text(text)


def test_one_cashtag_is_allowed_and_more_are_refused() -> None:
    assert check_text("Buying $TSLA today").cashtags == ["TSLA"]
    with pytest.raises(InvalidInput, match=r"3 cashtags \(\$AAPL, \$MSFT, \$GOOG\); X allows 1"):
        check_text("$AAPL $MSFT $GOOG")
    assert check_text("It costs $5 or US$10").cashtags == []  # prices are not cashtags


def test_mentions_and_hashtags() -> None:
    with pytest.raises(InvalidInput, match="mentions 11 accounts"):
        check_text(" ".join(f"@user{i}" for i in range(11)))
    check = check_text("Hi @harborlanecoffee_longname_x #2026 #a #b #c")
    assert any("not a valid X handle" in w for w in check.warnings)
    assert any("#2026 is only digits" in w for w in check.warnings)
    assert any("4 hashtags" in w for w in check.warnings)
    assert check_text("write to a@b.com").mentions == []
