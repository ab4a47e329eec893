"""The Facebook client directly over the in-process emulator: what a post sends, and reads back."""

from __future__ import annotations

from mcp_servers.core.vault import Vault
from tests.graph import sandboxes

IMAGE = "https://cdn.harborandpine.example/photos/roast.jpg"


def test_a_post_with_an_image_is_a_photo_post_and_otherwise_a_feed_post(vault: Vault) -> None:
    client, _ = sandboxes.facebook(vault)
    path, form = client.post_request("Roast day", None, IMAGE)
    assert path.endswith("/photos") and form == {"url": IMAGE, "caption": "Roast day", "published": "true"}
    path, form = client.post_request("Roast day", "https://harborlane.example", None)
    assert path.endswith("/feed") and form == {"message": "Roast day", "link": "https://harborlane.example"}


def test_a_published_post_is_read_back_and_deleted(vault: Vault) -> None:
    client, _ = sandboxes.facebook(vault)
    answer = client.publish(*client.post_request("Fresh roast", None, None))
    assert client.posts(5)[0]["id"] == answer["id"]
    assert client.post(answer["id"])["message"] == "Fresh roast"
    client.delete(answer["id"])
    assert all(p["id"] != answer["id"] for p in client.posts(5))


def test_a_reply_is_listed_under_its_comment(vault: Vault) -> None:
    client, _ = sandboxes.facebook(vault)
    post = next(p for p in client.posts(25) if client.comments(p["id"], 5))
    comment = client.comments(post["id"], 5)[0]
    reply = client.reply(comment["id"], "Thank you!")
    assert any(r["id"] == reply["id"] for r in client.comments(comment["id"], 10))
