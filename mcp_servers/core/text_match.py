"""Finding our own post by its text after a lost answer, the same way on every platform: none of them
takes a client reference, so an interrupted create is settled by reading the newest posts back. Texts
are compared after Unicode NFC normalisation (a platform may store either form) and without the outer
whitespace platforms trim; an empty text matches nothing (it would match any untitled post)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any


def normal_text(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def same_text(ours: str, theirs: str) -> bool:
    """Whether `theirs` (as the platform returns it) is the text we sent."""
    wanted = normal_text(ours)
    return bool(wanted) and normal_text(theirs) == wanted


def find_by_text(items: Iterable[dict[str, Any]], text: str, field: str) -> dict[str, Any] | None:
    """The first item whose `field` is `text` (newest first, as the platforms list them), else None."""
    return next((item for item in items if same_text(text, str(item.get(field) or ""))), None)
