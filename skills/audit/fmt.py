"""How the note writes money, numbers, dates and wikilinks (one place, so text and charts agree)."""

from __future__ import annotations

import re
from datetime import date

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}
_LINK_UNSAFE = re.compile(r"[\[\]|#^\r\n]+")


def money(amount: float, currency: str) -> str:
    """`$1,234.50`, `-€80.00`, or `1,234.50 CHF` for currencies without a symbol here."""
    text = f"{abs(amount):,.2f}"
    sign = "-" if round(amount, 2) < 0 else ""
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def number(value: float) -> str:
    """A plain number for YAML and Mermaid: no separators, at most 2 decimals, no trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(value: float) -> str:
    return f"{value:.1f}%"


def hours(value: float) -> str:
    return f"{value:.1f} h"


def day(value: date) -> str:
    """`Mon 5 Jan`."""
    return f"{value:%a} {value.day} {value:%b}"


def long_day(value: date) -> str:
    """`Monday 5 January 2026`."""
    return f"{value:%A} {value.day} {value:%B} {value.year}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def alias(text: str, limit: int = 60) -> str:
    """Text safe inside `[[target|alias]]` and a table cell."""
    clean = " ".join(_LINK_UNSAFE.sub(" ", text).split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def link(target: str, text: str) -> str:
    """A wikilink; the `|` is escaped so the link also works inside a table."""
    return f"[[{target}\\|{alias(text)}]]"


def plain_link(target: str, text: str) -> str:
    return f"[[{target}|{alias(text)}]]"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
