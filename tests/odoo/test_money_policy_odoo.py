"""The money policy on Odoo (issue 11 item 5): after one approved 60.00 payment on a bill, five more of about
60 are not all auto-approved, none above the amount due, and only an owner-made or owner-approved payment at
least a day old is a precedent."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

from mcp_servers.core.actions import CallContext
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, Vault
from mcp_servers.odoo import tools_payment
from mcp_servers.odoo.models import RegisterPaymentArgs
from tests.odoo.conftest import Raw, client_for

DAYS_AGO = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")


def _bill(odoo: Raw, total: float) -> int:
    partner = int(odoo.call("res.partner", "create", [{"name": f"Paper Supply {total}", "supplier_rank": 1}]))
    bill = odoo.call(
        "account.move",
        "create",
        [
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": partner,
                    "invoice_date": "2026-11-02",
                    "invoice_line_ids": [[0, 0, {"name": "Paper", "quantity": 1, "price_unit": total, "tax_ids": []}]],
                }
            ]
        ],
    )[0]
    odoo.call("account.move", "action_post", [[bill]])
    return int(bill)


def _pay_in_odoo(odoo: Raw, bill: int, amount: float, memo: str, created: str = DAYS_AGO) -> None:
    """A payment the owner made in Odoo itself (or one an earlier request made), `created` at that time."""
    ctx = {"active_model": "account.move", "active_ids": [bill]}
    wizard = odoo.call(
        "account.payment.register", "create", [[{"amount": amount, "communication": memo}]], {"context": ctx}
    )
    action = odoo.call("account.payment.register", "action_create_payments", [wizard], {"context": ctx})
    with odoo.emulator.state.transaction() as data:
        data["models"]["account.payment"][str(action["res_id"])]["create_date"] = created


def test_five_more_payments_of_about_60_are_not_all_auto_approved(odoo: Raw, vault: Vault, signing_key: bytes) -> None:
    client = client_for(odoo)
    gate = ApprovalGate("odoo", vault, key=signing_key, policy=Policy(), tag="odoo")
    bill = _bill(odoo, 330.0)
    _pay_in_odoo(odoo, bill, 60.0, "BILL paid by the owner")  # the approved precedent, two days old
    auto = []
    for amount in (60.0, 59.8, 60.2, 60.0, 60.1):
        filed = gate.file(tools_payment.REGISTER_PAYMENT, client, RegisterPaymentArgs(invoice_id=bill, amount=amount))
        auto.append(filed.requires_approval is False)
        if filed.requires_approval is False:  # run it, as the orchestrator would
            assert filed.request_id
            gate.execute(
                tools_payment.REGISTER_PAYMENT,
                lambda: client,
                RegisterPaymentArgs(invoice_id=bill, amount=amount),
                filed.request_id,
            )
    assert auto == [True, False, False, False, False]  # 60 + 59.8 would pass the 100 daily cap for this payee
    paid = odoo.call("account.move", "read", [[bill], ["amount_residual"]])[0]["amount_residual"]
    assert paid == 210.0


def test_never_auto_approved_above_the_amount_due(odoo: Raw, vault: Vault, signing_key: bytes) -> None:
    client = client_for(odoo)
    gate = ApprovalGate("odoo", vault, key=signing_key, policy=Policy(), tag="odoo")
    bill = _bill(odoo, 100.0)
    _pay_in_odoo(odoo, bill, 60.0, "owner payment")  # 40.00 left
    filed = gate.file(tools_payment.REGISTER_PAYMENT, client, RegisterPaymentArgs(invoice_id=bill, amount=60.0))
    assert filed.requires_approval is True
    assert "more than the 40.0 due" in (vault.root / (filed.request_path or "")).read_text()


def _recurring(odoo: Raw, memo: str, created: str) -> bool | None:
    bill = _bill(odoo, 500.0)
    _pay_in_odoo(odoo, bill, 60.0, memo, created)
    return tools_payment.preview_payment(client_for(odoo), RegisterPaymentArgs(invoice_id=bill, amount=60.0)).recurring


def test_a_precedent_is_owner_made_or_owner_approved_and_a_day_old(odoo: Raw) -> None:
    recent = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert _recurring(odoo, "owner's own payment", DAYS_AGO) is True
    assert _recurring(odoo, "BILL/1 [20261126-010000-odoo-abcdef12]", DAYS_AGO) is True  # an approved request
    assert _recurring(odoo, "BILL/1 [20261126-010000-odoo-abcdef12 auto-approved]", DAYS_AGO) is False
    assert _recurring(odoo, "owner's own payment", recent) is False  # not a day old yet


def test_the_request_mark_says_whether_the_owner_approved(vault: Vault, signing_key: bytes, odoo: Raw) -> None:
    from mcp_servers.odoo.write_facts import request_mark

    client = client_for(odoo)
    gate = ApprovalGate("odoo", vault, key=signing_key, policy=Policy(), tag="odoo")
    bill = _bill(odoo, 700.0)
    filed = gate.file(tools_payment.REGISTER_PAYMENT, client, RegisterPaymentArgs(invoice_id=bill, amount=500.0))
    assert filed.request_id and filed.request_path and filed.requires_approval
    source = vault.root / filed.request_path
    shutil.move(source, vault.folder(APPROVED) / source.name)
    call = CallContext(filed.request_id, f"{filed.request_id}#0", datetime.now(UTC), None, vault)
    assert request_mark(call) == f"[{filed.request_id}]"
    unknown = CallContext("20261126-010000-odoo-00000000", "x#0", datetime.now(UTC), None, vault)
    assert request_mark(unknown).endswith("auto-approved]")
