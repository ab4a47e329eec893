"""Rendering text that came from the model or a platform (post text, partner names, labels, comments, remote
error messages) so it can neither forge nor hide a line of what the owner reads.

- `md_inline`: one line of Markdown. Line breaks become a visible ⏎, control and invisible characters (ANSI
  escapes, bidi overrides, zero-width) become a visible ⟨U+XXXX⟩, and everything Markdown or Obsidian
  would interpret (links, embeds, HTML and `<!--` comments, `%%` comments, math, emphasis, table pipes,
  headings, quotes) is escaped, so the value shows literally and nothing after it is hidden.
- `md_block`: several lines as a quote whose every line starts with `> ` and is escaped like `md_inline`:
  the content cannot close the quote, start a heading or a "**Amount**" line of its own.
- `md_code`: one line as an inline code span the content cannot close.
- `wikilink`: `[[name]]`, or the escaped name when it would break out of the link.
- `terminal`: one line for a terminal: no escape sequence reaches it.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidi controls, zero-width, BOM, lone surrogates
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~$])")  # bold labels, links and embeds, code, table cells, strike, math
_LINE_START = re.compile(r"^(\s*(?:\d+)?)([-+*:#>=.)])")  # lists, headings, quotes, rules
_WIKILINK_BREAKERS = re.compile(r"[\[\]|#^\\<>%]")
NEWLINE_MARK = " ⏎ "


def _visible(match: re.Match[str]) -> str:
    return f"⟨U+{ord(match.group()):04X}⟩"


def visible_controls(text: str) -> str:
    """Tabs become spaces; every other control or invisible character becomes a visible ⟨U+XXXX⟩."""
    return _INVISIBLE.sub(_visible, text.replace("\t", " "))


def _escape_markdown(line: str) -> str:
    line = _MD_SPECIAL.sub(r"\\\1", line)
    line = line.replace("<", "&lt;").replace("%", "&#37;")
    return _LINE_START.sub(r"\1\\\2", line)


def md_inline(value: object, limit: int | None = None) -> str:
    """`value` as one escaped line of Markdown (cut to `limit` characters before escaping, with …)."""
    text = _NEWLINES.sub(NEWLINE_MARK, str(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _escape_markdown(visible_controls(text))


def md_code(value: object) -> str:
    """`value` as one inline code span whose fence is longer than any backtick run in it (not for tables)."""
    text = visible_controls(_NEWLINES.sub(NEWLINE_MARK, str(value)))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_block(value: object, prefix: str = "> ") -> str:
    """`value` as a quote: every line starts with `prefix` and is escaped; an empty value is one empty line."""
    lines = _NEWLINES.split(str(value)) or [""]
    return "\n".join((prefix + _escape_markdown(visible_controls(line))).rstrip() for line in lines)


def wikilink(name: str) -> str:
    """`[[name]]` for a note name that stays a link; otherwise the name, escaped, as plain text."""
    if _WIKILINK_BREAKERS.search(name) or _INVISIBLE.search(name) or _NEWLINES.search(name) or not name.strip():
        return md_inline(name)
    return f"[[{name}]]"


def terminal(value: object, limit: int | None = None) -> str:
    """`value` as one line for a terminal: line breaks shown as ⏎, escape sequences made visible."""
    text = _NEWLINES.sub(NEWLINE_MARK, str(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return visible_controls(text)
