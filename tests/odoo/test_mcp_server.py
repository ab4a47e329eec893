"""The Odoo server through a real MCP client over stdio: the server process as Claude and the
orchestrator start it, against the emulator in Odoo 17/18/19 behaviour over XML-RPC and JSON-2.
The test plays the owner (moves requests to Approved/) and the orchestrator (calls with approval_id)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from mcp_servers.core.vault import Vault
from mcp_servers.odoo.sandbox import write_faults
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).parent / "fixtures" / "tool_list.json"
READ_TOOLS = {
    "get_status",
    "find_partners",
    "find_products",
    "list_invoices",
    "get_invoice",
    "revenue_summary",
    "receivables_aging",
    "search_records",
}
WRITE_TOOLS = {"create_partner", "create_invoice", "post_invoice", "register_payment", "send_payment_reminder"}
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@asynccontextmanager
async def odoo_server(vault: Vault, **env: str) -> AsyncIterator[ClientSession]:
    full_env = {
        "APPROVAL_SIGNING_KEY": TEST_KEY,
        "VAULT_PATH": str(vault.root),
        "PYTHONPATH": str(ROOT),
        "AI_EMPLOYEE_ENV_FILE": "/nonexistent.env",
        **env,
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_servers.odoo", "--vault", str(vault.root)], env=full_env, cwd=str(ROOT)
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def call(session: ClientSession, tool: str, **args: Any) -> dict[str, Any]:
    result = await session.call_tool(tool, args)
    assert not result.is_error, result.content[0].text  # type: ignore[union-attr]
    data: dict[str, Any] = result.structured_content or {}
    assert data.get("mode") == "SANDBOX" or "LIVE" in str(data.get("mode"))
    return data


async def error(session: ClientSession, tool: str, **args: Any) -> str:
    result = await session.call_tool(tool, args)
    assert result.is_error, result.structured_content
    text: str = result.content[0].text  # type: ignore[union-attr]
    assert "Traceback" not in text and "/usr/lib" not in text
    return text


async def approve_and_run(session: ClientSession, vault: Vault, tool: str, **args: Any) -> dict[str, Any]:
    """File the request, move it to Approved/ as the owner would, and execute it as the orchestrator."""
    filed = await call(session, tool, dry_run=False, **args)
    assert filed["status"] == "filed", filed
    path = vault.root / filed["request_path"]
    if path.parent.name != "Approved":
        shutil.move(path, vault.folder("Approved") / path.name)
    return await call(session, tool, dry_run=False, approval_id=filed["request_id"], **args)


def _tool_contract(tools: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "annotations": t.annotations.model_dump(mode="json", exclude_none=True) if t.annotations else None,
            "input_schema": t.input_schema,
        }
        for t in sorted(tools, key=lambda t: t.name)
    ]


@pytest.mark.parametrize(
    ("version", "protocol"),
    [(17, "auto"), (18, "auto"), (19, "auto"), (19, "xmlrpc")],
    ids=["odoo17-xmlrpc", "odoo18-xmlrpc", "odoo19-json2", "odoo19-xmlrpc"],
)
async def test_whole_tool_surface(vault: Vault, version: int, protocol: str) -> None:
    async with odoo_server(vault, ODOO_VERSION=str(version), ODOO_PROTOCOL=protocol) as s:
        tools = (await s.list_tools()).tools
        contract = _tool_contract(tools)
        if os.environ.get("UPDATE_SNAPSHOTS"):
            SNAPSHOT.write_text(json.dumps(contract, indent=2, sort_keys=True) + "\n")
        assert contract == json.loads(SNAPSHOT.read_text()), "tool surface changed: review, then UPDATE_SNAPSHOTS=1"
        assert {t.name for t in tools} == READ_TOOLS | WRITE_TOOLS
        for t in tools:
            assert t.annotations is not None and t.annotations.read_only_hint is (t.name in READ_TOOLS)
            assert t.annotations.destructive_hint is False and t.annotations.open_world_hint is True

        status = await call(s, "get_status")
        assert status["version"] == f"{version}.0"
        assert status["protocol"] == ("json2" if version >= 19 and protocol == "auto" else "xmlrpc")
        partners = (await call(s, "find_partners", query="acme"))["partners"]
        assert [p["name"] for p in partners] == ["Acme Corporation"]
        products = (await call(s, "find_products", query="consult"))["products"]
        overdue = await call(s, "list_invoices", status="overdue", limit=3)
        assert overdue["count"] >= 3 and overdue["amount_due"] > 0
        detail = await call(s, "get_invoice", invoice_id=overdue["invoices"][0]["id"])
        assert detail["lines"]
        revenue = await call(s, "revenue_summary", date_from="2026-01-01", date_to="2026-12-31")
        assert revenue["net"] == round(revenue["invoiced"] - revenue["refunded"], 2)
        aging = await call(s, "receivables_aging")
        assert aging["totals"]["total"] > 0
        records = await call(
            s, "search_records", model="account.move", fields=["name"], limit=2, domain=[["state", "=", "posted"]]
        )
        assert len(records["records"]) == 2

        args = {"partner_id": partners[0]["id"], "lines": [{"product_id": products[0]["id"], "quantity": 2}]}
        preview = await call(s, "create_invoice", **args)  # dry_run is the default
        assert preview["status"] == "preview" and not list(vault.folder("Pending_Approval").iterdir())
        created = await approve_and_run(s, vault, "create_invoice", **args)
        assert created["status"] == "executed" and created["result"]["state"] == "draft"
        invoice_id = created["result"]["invoice_id"]
        posted = await approve_and_run(s, vault, "post_invoice", invoice_id=invoice_id)
        assert posted["result"]["state"] == "posted"
        paid = await approve_and_run(s, vault, "register_payment", invoice_id=invoice_id)
        assert paid["result"]["payment_state"] == "paid"
        final = await call(s, "get_invoice", invoice_id=invoice_id)
        assert final["invoice"]["payment_state"] == "paid" and final["invoice"]["amount_due"] == 0.0
        assert final["payments"][0]["amount"] == final["invoice"]["total"]


async def test_bad_input_is_refused_and_nothing_is_written(vault: Vault) -> None:
    async with odoo_server(vault) as s:
        before = (await call(s, "search_records", model="account.move", fields=["id"], limit=1))["count"]
        line = {"description": "Work", "quantity": 1, "unit_price": 10.0}
        assert "res.users.apikeys" in await error(s, "search_records", model="res.users.apikeys", fields=["name"])
        assert "nofield" in await error(s, "search_records", model="res.partner", fields=["nofield"])
        assert "domain" in await error(s, "search_records", model="res.partner", fields=["name"], domain="name=acme")
        assert "domain" in await error(
            s, "search_records", model="res.partner", fields=["name"], domain='[["name", "bogus", 1]]'
        )
        assert "quantity" in await error(s, "create_invoice", partner_id=4, lines=[{**line, "quantity": -1}])
        assert "unit_price" in await error(s, "create_invoice", partner_id=4, lines=[{**line, "unit_price": "10"}])
        assert "partner_id" in await error(s, "create_invoice", partner_id=99999, lines=[line], dry_run=False)
        assert "lines" in await error(s, "create_invoice", partner_id=4, lines=[line] * 10_000)
        posted = (await call(s, "list_invoices", status="paid", limit=1))["invoices"][0]
        assert "never changed" in await error(s, "post_invoice", invoice_id=posted["id"], dry_run=False)
        assert "nothing left to pay" in await error(s, "register_payment", invoice_id=posted["id"], dry_run=False)
        after = (await call(s, "search_records", model="account.move", fields=["id"], limit=1))["count"]
    assert after == before
    assert not list(vault.folder("Pending_Approval").iterdir()) and not list(vault.folder("Approved").iterdir())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_odoo_down_reads_retry_then_the_breaker_opens(vault: Vault) -> None:
    env = {
        "ODOO_MODE": "live",
        "ODOO_URL": f"http://127.0.0.1:{_closed_port()}",
        "ODOO_DB": "db",
        "ODOO_USERNAME": "me",
        "ODOO_API_KEY": "key",
    }
    async with odoo_server(vault, **env) as s:
        for _ in range(5):
            assert "cannot be reached" in await error(s, "find_partners", query="x")
        assert "calls are paused" in await error(s, "find_partners", query="x")
        assert "calls are paused" in await error(
            s, "create_invoice", partner_id=4, lines=[{"description": "x", "unit_price": 1.0}]
        )


async def test_odoo_slow_reads_time_out_with_a_clear_message(vault: Vault) -> None:
    state = vault.state_path("sandbox", "odoo.json")
    async with odoo_server(vault, ODOO_TIMEOUT="0.3") as s:
        await call(s, "get_status")
        write_faults(state, [{"kind": "latency", "seconds": 1.0, "method": "search_read"}])
        assert "did not answer (timed out)" in await error(s, "find_partners", query="acme")


async def test_a_timeout_after_commit_is_never_sent_twice(vault: Vault) -> None:
    state = vault.state_path("sandbox", "odoo.json")
    args = {"partner_id": 4, "lines": [{"description": "Retainer", "unit_price": 500.0}]}
    async with odoo_server(vault, ODOO_TIMEOUT="1") as s:
        filed = await call(s, "create_invoice", dry_run=False, **args)
        path = vault.root / filed["request_path"]
        shutil.move(path, vault.folder("Approved") / path.name)
        write_faults(
            state, [{"kind": "timeout_after_commit", "seconds": 2.5, "model": "account.move", "method": "create"}]
        )
        first = await call(s, "create_invoice", dry_run=False, approval_id=filed["request_id"], **args)
        # The answer was lost, but the record carries the request id: the read right after settles it.
        assert first["status"] == "executed", first
        assert "found the invoice by its request id" in first["message"]
        write_faults(state, [])
        again = await call(s, "create_invoice", dry_run=False, approval_id=filed["request_id"], **args)
        assert again["status"] in ("ambiguous", "replayed")
        found = await call(
            s, "search_records", model="account.move", fields=["ref"], domain=[["ref", "ilike", filed["request_id"]]]
        )
    assert found["count"] == 1


async def test_two_server_processes_over_one_sandbox(vault: Vault) -> None:
    async with odoo_server(vault) as a, odoo_server(vault) as b:
        made = await approve_and_run(a, vault, "create_partner", name="Seen By Both Ltd")
        found = (await call(b, "find_partners", query="Seen By Both"))["partners"]
        assert [p["id"] for p in found] == [made["result"]["partner_id"]]

        filed = []
        for n in range(6):
            session = a if n % 2 else b
            request = await call(session, "create_partner", dry_run=False, name=f"Concurrent {n}")
            path = vault.root / request["request_path"]
            shutil.move(path, vault.folder("Approved") / path.name)
            filed.append((session, request["request_id"], n))

        async def run(session: ClientSession, request_id: str, n: int) -> None:
            result = await call(
                session, "create_partner", dry_run=False, approval_id=request_id, name=f"Concurrent {n}"
            )
            assert result["status"] == "executed"

        async with anyio.create_task_group() as tg:
            for item in filed:
                tg.start_soon(run, *item)
        names = {p["name"] for p in (await call(a, "find_partners", query="Concurrent", limit=50))["partners"]}
    assert names == {f"Concurrent {n}" for n in range(6)}
