"""Inputs a model or a careless sync may send: only a JSON boolean files for real, errors name the field
without pydantic's dump, a vault folder that is a file does not kill a server, and a dotfile or FIFO is
never taken for a request (issue 11, item 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

import pytest
from mcp import Client

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, DONE, PENDING, Vault
from tests.core.fake_service.server import make_app
from tests.core.test_server_stdio import ROOT, server_env

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("value", ["false", 0, "0", "False", None])
async def test_only_a_json_boolean_false_files_a_request(vault: Vault, value: Any) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        r = await client.call_tool("add_note", {"text": "hello", "dry_run": value})
    assert r.is_error
    assert "dry_run: must be true or false" in r.content[0].text
    assert not list(vault.folder(PENDING).iterdir()) and not list(vault.folder(APPROVED).iterdir())


@pytest.mark.parametrize(("args", "field"), [({"text": ""}, "text"), ({"text": "x", "amount": "lots"}, "amount")])
async def test_bad_arguments_name_the_field_without_pydantic_internals(vault: Vault, args: Any, field: str) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        r = await client.call_tool("add_note", args)
    text = r.content[0].text
    assert r.is_error and f"{field}:" in text and "Fix the argument" in text
    for internal in ("validation error for", "input_value", "errors.pydantic.dev", "type="):
        assert internal not in text


def test_a_vault_folder_that_is_a_file_stops_the_server_with_a_reason_not_a_traceback(vault: Vault) -> None:
    shutil.rmtree(vault.folder(DONE))
    vault.folder(DONE).write_text("not a folder")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.core.fake_service"],
        env={**os.environ, **server_env(vault)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "Done is a file, not a folder" in proc.stderr and "Traceback" not in proc.stderr


async def test_a_folder_replaced_by_a_file_while_running_gives_an_error_not_a_crash(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        filed = (await client.call_tool("add_note", {"text": "hello", "dry_run": False})).structured_content
        shutil.rmtree(vault.folder(DONE))
        vault.folder(DONE).write_text("not a folder")
        refused = await client.call_tool(
            "add_note", {"text": "hello", "dry_run": False, "approval_id": filed["request_id"]}
        )
        again = await client.call_tool("add_note", {"text": "hello"})
    assert refused.is_error and "Pending_Approval" in refused.content[0].text
    assert again.structured_content["status"] == "preview"


@pytest.mark.parametrize("impostor", ["dotfile", "fifo", "folder", "link"])
def test_find_request_skips_what_is_not_a_regular_file(vault: Vault, impostor: str) -> None:
    request_id = "20261125-221000-fk-0a1b2c3d"
    real = vault.folder(APPROVED) / "2026-11-25_payment_0a1b2c3d.md"
    real.write_text("the request")
    fake = vault.folder(APPROVED) / (("." if impostor == "dotfile" else "1") + "_payment_0a1b2c3d.md")
    if impostor == "dotfile":
        fake.write_text("forged")
    elif impostor == "fifo":
        os.mkfifo(fake)
    elif impostor == "folder":
        fake.mkdir()
    else:
        fake.symlink_to(real)
    assert sorted(p.name for p in vault.folder(APPROVED).iterdir())[0] == fake.name  # it sorts first
    assert ar.find_request(vault, request_id) == real
