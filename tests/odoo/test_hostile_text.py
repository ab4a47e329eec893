"""Issue 11 item 11, Odoo part: partner names, invoice numbers and line labels come from Odoo (anyone who can
edit a contact or a bill writes them), so the request body renders them so they can neither forge nor hide a
line of what the owner approves."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools_payment, tools_write
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import CreateInvoiceArgs, CreatePartnerArgs, PostInvoiceArgs, RegisterPaymentArgs
from tests.odoo.conftest import Raw, client_for

HOSTILE = "Acme\n**Amount**: 5.00\n%% hidden"


def _forged(body: str) -> list[str]:
    """Lines of the body a hostile value wrote itself, or text after which Obsidian hides the rest."""
    return [line for line in body.splitlines() if line.startswith("**Amount**: 5.00") or "%%" in line]


def _body(vault: Vault, path: str | None) -> str:
    assert path
    return (vault.root / path).read_text("utf-8").split("\n---\n", 1)[1]  # what the owner reads: no front matter


def _draft(client: OdooClient, vault: Vault, label: str) -> int:
    args = CreateInvoiceArgs(partner_id=4, lines=[{"description": label, "quantity": 1, "unit_price": 977.5}])
    ctx = CallContext("20261126-010000-odoo-aaaaaaaa", "x#0", None, None, vault)  # type: ignore[arg-type]
    return int(tools_write.create_invoice(client, args, ctx)["invoice_id"])


@pytest.fixture
def gate(vault: Vault, signing_key: bytes) -> ApprovalGate:
    return ApprovalGate("odoo", vault, key=signing_key, policy=Policy(), tag="odoo")


def test_a_hostile_partner_name_forges_no_line(odoo: Raw, vault: Vault, gate: ApprovalGate) -> None:
    client = client_for(odoo)
    odoo.call("res.partner", "write", [[4], {"name": HOSTILE}])
    move = _draft(client, vault, "Kit")
    filed = gate.file(tools_write.POST_INVOICE, client, PostInvoiceArgs(invoice_id=move))
    assert _forged(_body(vault, filed.request_path)) == []
    odoo.call("account.move", "action_post", [[move]])
    paid = gate.file(tools_payment.REGISTER_PAYMENT, client, RegisterPaymentArgs(invoice_id=move, amount=10.0))
    assert _forged(_body(vault, paid.request_path)) == []
    new = CreateInvoiceArgs(partner_id=4, lines=[{"description": "x", "unit_price": 1}])
    drafted = gate.file(tools_write.CREATE_INVOICE, client, new)
    assert _forged(_body(vault, drafted.request_path)) == []


def test_a_hostile_line_label_forges_no_line_nor_table_cell(odoo: Raw, vault: Vault, gate: ApprovalGate) -> None:
    client = client_for(odoo)
    label = "Kit | 1 | 0.01 |\n**Amount**: 5.00\n%% hidden"
    args = CreateInvoiceArgs(partner_id=4, lines=[{"description": label, "quantity": 1, "unit_price": 977.5}])
    body = _body(vault, gate.file(tools_write.CREATE_INVOICE, client, args).request_path)
    assert _forged(body) == []
    row = next(line for line in body.splitlines() if line.startswith("| Kit"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # three cells: the label's own pipes are escaped


def test_a_hostile_new_partner_forges_no_line(odoo: Raw, vault: Vault, gate: ApprovalGate) -> None:
    client = client_for(odoo)
    args = CreatePartnerArgs(name=HOSTILE, email="a@example.com")
    assert _forged(_body(vault, gate.file(tools_write.CREATE_PARTNER, client, args).request_path)) == []


def test_the_owner_reads_every_field_that_is_filed(odoo: Raw, vault: Vault, gate: ApprovalGate) -> None:
    """What runs is what the owner saw: a payment's memo and an invoice's reference and dates go to Odoo, so
    the request shows them."""
    client = client_for(odoo)
    line = [{"description": "Kit", "quantity": 1, "unit_price": 10.0}]
    args = CreateInvoiceArgs(partner_id=4, lines=line, reference="PO-77", due_date=date(2027, 1, 31))
    body = _body(vault, gate.file(tools_write.CREATE_INVOICE, client, args).request_path)
    assert "Reference PO-77; due 2027-01-31." in body
    move = _draft(client, vault, "Kit")
    odoo.call("account.move", "action_post", [[move]])
    pay = RegisterPaymentArgs(invoice_id=move, amount=5.0, memo="Final settlement, no further claims")
    body = _body(vault, gate.file(tools_payment.REGISTER_PAYMENT, client, pay).request_path)
    assert "memo Final settlement, no further claims" in body
