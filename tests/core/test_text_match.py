"""Finding our own post by its text: one rule for Facebook, Instagram and X (it was three copies that
disagreed on Unicode forms and trimmed whitespace)."""

from __future__ import annotations

import unicodedata

from mcp_servers.core.text_match import find_by_text, same_text

CAFE = "Café opens at 9"


def test_the_other_unicode_form_and_trimmed_whitespace_are_the_same_text() -> None:
    assert same_text(unicodedata.normalize("NFD", CAFE), f"  {unicodedata.normalize('NFC', CAFE)}\n")


def test_other_text_and_empty_text_match_nothing() -> None:
    assert not same_text(CAFE, CAFE + "!")
    assert not same_text("", "")
    assert not same_text("  ", "")


def test_the_newest_matching_item_is_found_by_its_field() -> None:
    items = [{"id": "3", "message": "other"}, {"id": "2", "message": CAFE}, {"id": "1", "message": CAFE}]
    assert find_by_text(items, CAFE, "message") == {"id": "2", "message": CAFE}
    assert find_by_text(items, CAFE, "caption") is None
    assert find_by_text([{"id": "4", "message": None}], CAFE, "message") is None
