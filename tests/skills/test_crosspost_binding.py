"""Cross-posting binds each filed call to what its platform's preview bound it to, through the service's own
`create_post` (no service module is imported): X's call carries the SHA-256 of the image previewed now."""

from __future__ import annotations

import hashlib

from mcp_servers.core.vault import Vault
from skills import crosspost

IMAGE = "https://example.com/beans.jpg"


def test_the_filed_x_call_carries_the_sha256_of_the_image_as_previewed(vault: Vault) -> None:
    from mcp_servers.twitter.images import stand_in_png  # the sandbox's stand-in for any public image

    draft = crosspost.Draft("Fresh beans", image_url=IMAGE)
    result = crosspost.preview_one(crosspost.PLATFORMS["twitter"], draft, vault)
    assert result.ok and result.args is not None and result.preview is not None, result.error
    expected = hashlib.sha256(stand_in_png()).hexdigest()
    assert result.args["image_sha256"] == expected == (result.preview.binding or {})["image_sha256"]


def test_a_platform_whose_arguments_do_not_take_the_binding_is_not_given_it(vault: Vault) -> None:
    draft = crosspost.Draft("Fresh beans", image_url="https://cdn.harborandpine.example/photos/roast.jpg")
    result = crosspost.preview_one(crosspost.PLATFORMS["facebook"], draft, vault)
    assert result.ok and result.args is not None, result.error
    assert "image_sha256" not in result.args and result.args["image_url"].endswith("roast.jpg")


def test_a_post_without_an_image_files_no_image_binding(vault: Vault) -> None:
    result = crosspost.preview_one(crosspost.PLATFORMS["twitter"], crosspost.Draft("Fresh beans"), vault)
    assert result.ok and result.args is not None, result.error
    assert result.args.get("image_sha256") is None
