"""Replies on Facebook and Instagram are refused before anything is filed when they cannot be sent."""

from __future__ import annotations

import pytest

from mcp_servers.core.errors import InvalidInput
from mcp_servers.graph import validation as check


def test_a_valid_reply_is_trimmed() -> None:
    assert check.reply("123_456", "  Thanks!  ", max_chars=100) == ("123_456", "Thanks!")


@pytest.mark.parametrize(
    ("comment_id", "message", "limits", "words"),
    [
        ("123_456", "   ", {"max_chars": 100}, "message: the reply is empty"),
        ("123_456", "x" * 101, {"max_chars": 100}, "message"),
        ("123_456", "#a #b #c", {"max_chars": 100, "max_hashtags": 2}, "hashtags"),
        ("../me", "hi", {"max_chars": 100}, "comment_id"),
    ],
)
def test_a_reply_that_cannot_be_sent_is_refused_naming_the_field(
    comment_id: str, message: str, limits: dict[str, int], words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        check.reply(comment_id, message, **limits)
