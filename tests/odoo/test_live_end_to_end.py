"""The live XML-RPC path end to end, against a server with real Odoo's `create` semantics (the emulator
refuses a keyword-only `create` as Odoo 17 does): the tool files a request, the owner approves it,
the real orchestrator runs it through its own server process, the request lands in Done/ as
`succeeded`, and the record exists exactly once."""

from __future__ import annotations

import shutil
import xmlrpc.client
from pathlib import Path

import pytest
import yaml

from mcp_servers.core.vault import APPROVED, DONE, PENDING, Vault
from orchestrator.config import ServerSpec
from tests.odoo.conftest import start_emulator
from tests.odoo.test_mcp_server import call, odoo_server
from tests.orchestrator.conftest import md_files, running, until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def _front(path: Path) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
    return data


async def test_live_xmlrpc_request_runs_once_through_the_orchestrator(vault: Vault, tmp_path: Path) -> None:
    emulator, url = start_emulator(tmp_path / "odoo17.json", 17, empty=True)
    try:
        obj = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        with pytest.raises(xmlrpc.client.Fault, match="IndexError"):  # Odoo's dispatcher reads args[0]
            obj.execute_kw("sandbox", 2, emulator.api_key, "res.partner", "create", [], {"vals_list": [{"name": "x"}]})
        live = {
            "ODOO_MODE": "live",
            "ODOO_URL": url,
            "ODOO_DB": "sandbox",
            "ODOO_USERNAME": "admin",
            "ODOO_API_KEY": emulator.api_key,
            "ODOO_PROTOCOL": "xmlrpc",
        }
        async with odoo_server(vault, **live) as session:
            filed = await call(session, "create_partner", dry_run=False, name="Harbor Lights LLC", email="a@hl.example")
        assert filed["status"] == "filed", filed
        pending = vault.root / str(filed["request_path"])
        assert pending.parent.name == PENDING
        shutil.move(pending, vault.folder(APPROVED) / pending.name)  # the owner approves

        spec = ServerSpec(
            "odoo", args=("-m", "mcp_servers.odoo", "--vault", str(vault.root)), env={**live, "PYTHONPATH": str(ROOT)}
        )
        async with running(vault, [spec]):
            await until(
                lambda: md_files(vault, DONE) and not md_files(vault, APPROVED), timeout=90, what="request done"
            )
        done = md_files(vault, DONE)
        assert [p.name for p in done] == [pending.name]
        front = _front(done[0])
        assert front["status"] == "succeeded", front
        ids = obj.execute_kw(
            "sandbox", 2, emulator.api_key, "res.partner", "search", [[["name", "=", "Harbor Lights LLC"]]]
        )
        assert len(ids) == 1
        assert front["result"][0]["result"]["partner_id"] == ids[0]  # type: ignore[index]
    finally:
        emulator.stop()
