"""Issue 11, item 1, in the Odoo sandbox: a payment whose answer was dropped, filed again by the owner, must
not be paid a second time when any MCP client later asks for the old request."""

from __future__ import annotations

import shutil

import pytest

from mcp_servers.core.vault import Vault
from mcp_servers.odoo.sandbox import write_faults
from tests.odoo.test_mcp_server import approve_and_run, call, odoo_server

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_a_dropped_payment_refiled_by_the_owner_is_paid_once(vault: Vault) -> None:
    state = vault.state_path("sandbox", "odoo.json")
    invoice = {"partner_id": 4, "lines": [{"description": "Retainer", "unit_price": 500.0}]}
    async with odoo_server(vault) as s:
        created = await approve_and_run(s, vault, "create_invoice", **invoice)
        invoice_id = created["result"]["invoice_id"]
        await approve_and_run(s, vault, "post_invoice", invoice_id=invoice_id)
        pay = {"invoice_id": invoice_id, "amount": 60.0}
        filed = await call(s, "register_payment", dry_run=False, **pay)
        path = vault.root / filed["request_path"]
        if path.parent.name != "Approved":
            path = shutil.move(path, vault.folder("Approved") / path.name)
        write_faults(state, [{"kind": "drop", "model": "account.payment.register", "method": "action_create_payments"}])
        first = await call(s, "register_payment", dry_run=False, approval_id=filed["request_id"], **pay)
        assert first["status"] == "ambiguous", first
        write_faults(state, [])
        shutil.move(path, vault.folder("Done") / path.name)  # the orchestrator's move, with the owner's note
        again = await approve_and_run(s, vault, "register_payment", **pay)  # the owner files it again
        assert again["status"] == "executed", again
        old = await s.call_tool("register_payment", {**pay, "dry_run": False, "approval_id": filed["request_id"]})
        detail = await call(s, "get_invoice", invoice_id=invoice_id)
    assert (old.structured_content or {}).get("status") != "executed"
    assert [p["amount"] for p in detail["payments"]] == [60.0]
