"""Images on X end to end in the sandbox: `ai-employee post --image` files one request whose preview shows
the image and the cost; approved, it posts with the uploaded media; a crash between upload and post
still gives exactly one post (the recorded media id is re-used)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ApprovalRefused
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.sandbox import LoopbackServer
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.sandbox import state_path
from mcp_servers.twitter.tools import CREATE_POST
from orchestrator.cli import main
from tests.twitter.conftest import REPO
from tests.twitter.test_images import JPEG, Files

CRASH = """
import os, sys
from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ApprovalRefused
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.server import make_service
from mcp_servers.twitter.settings import TwitterSettings
from mcp_servers.twitter.tools import CREATE_POST

def crash(self, *args, **kwargs):  # the process dies after the upload, before the post is sent
    os._exit(9)

TwitterClient.create_post = crash
vault = Vault(sys.argv[1])
request = ar.read_request_file(vault, vault.folder("Approved") / sys.argv[2]).request
gate = ApprovalGate("twitter", vault, key=os.environ["APPROVAL_SIGNING_KEY"].encode(), policy=Policy(), tag="x")
x = make_service(TwitterSettings(), vault)
gate.execute(CREATE_POST, lambda: x, CREATE_POST.args(**request.calls[0].args), request.id)
"""


@pytest.fixture
def image_url() -> Iterator[str]:
    server = LoopbackServer(Files).start()
    yield f"{server.url}/beans.jpg"
    server.stop()


def _file(vault: Vault, text: str, image_url: str) -> Path:
    assert main(["post", text, "--platforms", "twitter", "--image", image_url, "--vault", str(vault.root)]) == 0
    [path] = vault.folder("Pending_Approval").glob("*.md")
    return Path(shutil.move(path, vault.folder("Approved") / path.name))


def _execute(vault: Vault, path: Path, signing_key: bytes) -> Any:
    from mcp_servers.twitter.server import make_service
    from mcp_servers.twitter.settings import TwitterSettings

    request = ar.read_request_file(vault, path).request
    gate = ApprovalGate("twitter", vault, key=signing_key, policy=Policy(), tag="x")
    x = make_service(TwitterSettings(), vault)
    return gate.execute(CREATE_POST, lambda: x, CREATE_POST.args(**request.calls[0].args), request.id)


def _emulator(vault: Vault) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(state_path(vault.root).read_text())
    return state


def test_file_approve_and_post_with_the_image(vault: Vault, signing_key: bytes, image_url: str) -> None:
    path = _file(vault, "Fresh beans, fresh photo", image_url)
    text = path.read_text()
    assert f"Image: {image_url} (JPEG, {len(JPEG) / 1024:.0f} KB)" in text and "$0.015" in text
    assert "the image is not attached" not in text
    result = _execute(vault, path, signing_key)
    assert result.status == "executed", result.message
    state = _emulator(vault)
    [post] = [p for p in state["posts"] if p["text"] == "Fresh beans, fresh photo"]
    [(media_id, upload)] = state["media"].items()
    assert post["media_ids"] == [media_id] and upload["mime"] == "image/jpeg" and upload["size"] == len(JPEG)


def test_a_crash_between_upload_and_post_still_posts_once(vault: Vault, signing_key: bytes, image_url: str) -> None:
    path = _file(vault, "Crash-proof beans", image_url)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    died = subprocess.run([sys.executable, "-c", CRASH, str(vault.root), path.name], env=env, timeout=60)
    assert died.returncode == 9
    state = _emulator(vault)
    assert len(state["media"]) == 1 and not [p for p in state["posts"] if p["text"] == "Crash-proof beans"]
    result = _execute(vault, path, signing_key)  # the gate settles the interrupted call, then runs it
    assert result.status == "executed", result.message
    again = _execute(vault, path, signing_key)
    assert again.status == "replayed"
    state = _emulator(vault)
    posts = [p for p in state["posts"] if p["text"] == "Crash-proof beans"]
    assert len(posts) == 1 and len(state["media"]) == 1  # one post, with the media uploaded before the crash
    assert posts[0]["media_ids"] == list(state["media"])


def test_a_thread_carries_an_image_per_part(x: Any, vault: Vault, image_url: str) -> None:
    from datetime import UTC, datetime

    from mcp_servers.core.actions import CallContext
    from mcp_servers.twitter.models import CreateThreadArgs
    from mcp_servers.twitter.threads import post_thread, preview_thread

    texts = ["Roast day 1/3", "The beans 2/3", "The cup 3/3"]
    pictures = [{"part": 2, "image_url": image_url, "alt_text": "Green beans"}, {"part": 3, "image_url": image_url}]
    args = CreateThreadArgs(texts=texts, images=pictures)
    preview = preview_thread(x, args)
    assert preview.details.count(f"Image: {image_url} (JPEG") == 2 and "2 with an image" in (preview.cost or "")
    assert "$0.050" in (preview.cost or "")  # 3 posts + one alt text
    call = CallContext("r-thread", "r-thread#0", datetime.now(UTC), None, vault)
    post_thread(x, args, call)
    by_text = {p["text"]: p for p in _emulator(vault)["posts"]}
    assert "media_ids" not in by_text[texts[0]]
    assert len(by_text[texts[1]]["media_ids"]) == 1 and len(by_text[texts[2]]["media_ids"]) == 1
    alt = {m: u.get("alt_text") for m, u in _emulator(vault)["media"].items()}
    assert alt[by_text[texts[1]]["media_ids"][0]] == "Green beans"
    with pytest.raises(Exception, match="part 4: there is no such part"):
        preview_thread(x, CreateThreadArgs(texts=texts[:2], images=[{"part": 4, "image_url": image_url}]))


def test_an_image_changed_after_approval_is_not_posted(
    vault: Vault, signing_key: bytes, image_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.twitter import test_images

    path = _file(vault, "Approved beans", image_url)
    request = ar.read_request_file(vault, path).request
    assert request.calls[0].args["image_sha256"] == hashlib.sha256(JPEG).hexdigest()
    other = JPEG[:-2] + b"\x00\xff\xd9"
    monkeypatch.setitem(test_images.PAGES, "/beans.jpg", (200, "image/jpeg", other))
    with pytest.raises(ApprovalRefused, match=r"has changed in twitter since it was filed: image_sha256 was"):
        _execute(vault, path, signing_key)
    # refused by the gate before the call started: no upload, no post (the emulator's state was never created)
    assert not state_path(vault.root).exists()


def test_an_image_filed_through_the_tool_is_bound_without_a_digest_argument(
    vault: Vault, signing_key: bytes, image_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model filing `create_post` itself passes no image_sha256; the preview's binding still ties the request
    to the image the owner saw."""
    from mcp_servers.twitter.server import make_service
    from mcp_servers.twitter.settings import TwitterSettings
    from tests.twitter import test_images

    gate = ApprovalGate("twitter", vault, key=signing_key, policy=Policy(), tag="x")
    x = make_service(TwitterSettings(), vault)
    filed = gate.file(CREATE_POST, x, CREATE_POST.args(text="Fresh beans", image_url=image_url))
    path = vault.root / (filed.request_path or "")
    request = ar.read_request_file(vault, path).request
    assert request.calls[0].args["image_sha256"] is None
    assert request.calls[0].expect == {"image_sha256": hashlib.sha256(JPEG).hexdigest()}
    path = Path(shutil.move(path, vault.folder("Approved") / path.name))
    monkeypatch.setitem(test_images.PAGES, "/beans.jpg", (200, "image/jpeg", JPEG[:-2] + b"\x00\xff\xd9"))
    with pytest.raises(ApprovalRefused, match="image_sha256 was"):
        gate.execute(CREATE_POST, lambda: x, CREATE_POST.args(**request.calls[0].args), request.id)
    assert not state_path(vault.root).exists()
