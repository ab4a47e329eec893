"""The Instagram client directly over the in-process emulator: the bounded container wait and permission
names under either token system."""

from __future__ import annotations

import pytest

from mcp_servers.core.vault import Vault
from mcp_servers.graph.client import INSTAGRAM_HOST
from mcp_servers.instagram.client import ContainerNotReady
from tests.graph import sandboxes

JPEG = "https://cdn.harborandpine.example/photos/roast.jpg"


def test_a_processing_container_is_polled_with_growing_pauses_until_finished(vault: Vault) -> None:
    client, state = sandboxes.instagram(vault)
    with state.transaction() as data:
        data["processing_polls"] = 3
    pauses: list[float] = []
    client._sleep = pauses.append
    container = client.create_container({"image_url": JPEG, "caption": "Roast"})
    client.wait_until_finished(container)
    assert pauses == [1.0, 2.0]
    assert client.publish(container)


def test_the_wait_is_bounded_and_says_that_nothing_was_published(vault: Vault) -> None:
    client, state = sandboxes.instagram(vault)
    with state.transaction() as data:
        data["processing_polls"] = 10
    pauses: list[float] = []
    client._sleep, client.publish_wait_s = pauses.append, 3.5
    container = client.create_container({"image_url": JPEG, "caption": "Roast"})
    with pytest.raises(ContainerNotReady, match="nothing was published"):
        client.wait_until_finished(container)
    assert sum(pauses) <= 3.5


def test_a_published_container_is_not_published_again(vault: Vault) -> None:
    client, _ = sandboxes.instagram(vault)
    container = client.create_container({"image_url": JPEG, "caption": "Roast"})
    client.wait_until_finished(container)
    client.publish(container)
    with pytest.raises(ContainerNotReady, match="PUBLISHED; nothing new was published"):
        client.wait_until_finished(container)


def test_permissions_are_named_as_the_token_system_names_them(vault: Vault) -> None:
    client, _ = sandboxes.instagram(vault)
    assert client.perm("instagram_basic") == "instagram_basic"
    client.graph.base_url = INSTAGRAM_HOST
    assert client.perm("instagram_basic").startswith("instagram_business_")
