"""What runs is what the owner saw (issue 11 item 4, Odoo part): `post_invoice` and `register_payment` bind their
request to the draft's total, lines and partner, or to the amount due, and the gate refuses when it changed."""

from __future__ import annotations

import shutil

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import ApprovalRefused
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, Vault
from mcp_servers.odoo import tools_payment, tools_write
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import CreateInvoiceArgs, PostInvoiceArgs, RegisterPaymentArgs
from tests.odoo.conftest import Raw, client_for


def _gate(vault: Vault, key: bytes) -> ApprovalGate:
    return ApprovalGate("odoo", vault, key=key, policy=Policy(), tag="odoo")


def _approve(gate: ApprovalGate, vault: Vault, action: object, client: OdooClient, args: object) -> str:
    filed = gate.file(action, client, args)  # type: ignore[arg-type]
    assert filed.request_path and filed.request_id and filed.requires_approval
    source = vault.root / filed.request_path
    shutil.move(source, vault.folder(APPROVED) / source.name)
    return filed.request_id


def _draft(client: OdooClient, vault: Vault) -> int:
    args = CreateInvoiceArgs(partner_id=4, lines=[{"description": "Implant kit", "quantity": 1, "unit_price": 977.5}])
    ctx = CallContext("20261126-010000-odoo-aaaaaaaa", "x#0", None, None, vault)  # type: ignore[arg-type]
    return int(tools_write.create_invoice(client, args, ctx)["invoice_id"])


def test_a_draft_edited_after_approval_is_not_posted(odoo: Raw, vault: Vault, signing_key: bytes) -> None:
    client, gate = client_for(odoo), _gate(vault, signing_key)
    move = _draft(client, vault)
    args = PostInvoiceArgs(invoice_id=move)
    request_id = _approve(gate, vault, tools_write.POST_INVOICE, client, args)
    line = odoo.call("account.move", "read", [[move], ["invoice_line_ids"]])[0]["invoice_line_ids"][0]
    odoo.call("account.move", "write", [[move], {"invoice_line_ids": [[1, line, {"price_unit": 97750.0}]]}])
    with pytest.raises(ApprovalRefused) as refused:
        gate.execute(tools_write.POST_INVOICE, lambda: client, args, request_id)
    assert "amount_total was 977.50 USD, now 97750.00 USD" in str(refused.value)
    assert "lines was sha256:" in str(refused.value)
    assert odoo.call("account.move", "read", [[move], ["state"]])[0]["state"] == "draft"


def test_an_unchanged_draft_is_posted(odoo: Raw, vault: Vault, signing_key: bytes) -> None:
    client, gate = client_for(odoo), _gate(vault, signing_key)
    args = PostInvoiceArgs(invoice_id=_draft(client, vault))
    request_id = _approve(gate, vault, tools_write.POST_INVOICE, client, args)
    result = gate.execute(tools_write.POST_INVOICE, lambda: client, args, request_id)
    assert result.status == "executed" and result.result and result.result["state"] == "posted"


def test_pay_all_that_is_due_pays_only_what_was_due_when_approved(odoo: Raw, vault: Vault, signing_key: bytes) -> None:
    client, gate = client_for(odoo), _gate(vault, signing_key)
    move = _draft(client, vault)
    odoo.call("account.move", "action_post", [[move]])
    args = RegisterPaymentArgs(invoice_id=move)  # no amount: "all that is due", 977.50 when the owner saw it
    request_id = _approve(gate, vault, tools_payment.REGISTER_PAYMENT, client, args)
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = odoo.call("account.payment.register", "create", [[{"amount": 100.0}]], {"context": ctx})
    odoo.call("account.payment.register", "action_create_payments", [wizard], {"context": ctx})
    with pytest.raises(ApprovalRefused, match=r"amount_due was 977\.50 USD, now 877\.50 USD"):
        gate.execute(tools_payment.REGISTER_PAYMENT, lambda: client, args, request_id)
    assert odoo.call("account.move", "read", [[move], ["amount_residual"]])[0]["amount_residual"] == 877.5


def test_a_payment_that_would_pay_more_than_is_due_by_then_is_refused(
    odoo: Raw, vault: Vault, signing_key: bytes
) -> None:
    """60.00 approved on a bill with 977.50 due; someone pays 950.00 in Odoo before it runs: paying 60.00 now
    would overpay (the policy never auto-approves more than is due, and the owner did not approve that)."""
    client, gate = client_for(odoo), _gate(vault, signing_key)
    move = _draft(client, vault)
    odoo.call("account.move", "action_post", [[move]])
    args = RegisterPaymentArgs(invoice_id=move, amount=60.0)
    request_id = _approve(gate, vault, tools_payment.REGISTER_PAYMENT, client, args)
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = odoo.call("account.payment.register", "create", [[{"amount": 950.0}]], {"context": ctx})
    odoo.call("account.payment.register", "action_create_payments", [wizard], {"context": ctx})
    with pytest.raises(ApprovalRefused, match="more than is due"):
        gate.execute(tools_payment.REGISTER_PAYMENT, lambda: client, args, request_id)
    assert odoo.call("account.move", "read", [[move], ["amount_residual"]])[0]["amount_residual"] == 27.5


def test_a_payment_within_what_is_still_due_runs_after_a_partial_payment(
    odoo: Raw, vault: Vault, signing_key: bytes
) -> None:
    client, gate = client_for(odoo), _gate(vault, signing_key)
    move = _draft(client, vault)
    odoo.call("account.move", "action_post", [[move]])
    args = RegisterPaymentArgs(invoice_id=move, amount=60.0)
    request_id = _approve(gate, vault, tools_payment.REGISTER_PAYMENT, client, args)
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = odoo.call("account.payment.register", "create", [[{"amount": 100.0}]], {"context": ctx})
    odoo.call("account.payment.register", "action_create_payments", [wizard], {"context": ctx})
    assert gate.execute(tools_payment.REGISTER_PAYMENT, lambda: client, args, request_id).status == "executed"
