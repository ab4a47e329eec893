"""What a registered payment looks like on a real Odoo, per version, as recorded (tests/odoo/contract):
its own posted journal entry, its state, and its line in the invoice's payment widget."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.journal_items import payment_item
from mcp_servers.odoo.sandbox.orm import commercial_partner

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env, Record


def payment_state(env: Env, inbound: bool) -> str:
    """A new payment: `posted` on 17; on 18/19 it waits `in_process` until `settle_states` says more."""
    return "posted" if env.version < 18 else "in_process"


def settle_states(env: Env, move: Record, inbound: bool) -> None:
    """As recorded: on 18 an invoice's payments are `paid` once it is fully paid; on 19 a customer's
    are, a vendor's stay `in_process` (Invoicing waits for the bank reconciliation)."""
    if env.version < 18:
        return
    done = float(move.get("amount_residual", 0.0)) <= 0
    state = "paid" if done and (env.version == 18 or inbound) else "in_process"
    for pid in move.get("_payment_ids", []):
        payment = env.get("account.payment", pid)
        if payment is not None:
            payment["state"] = state


def _increase_rank(env: Env, partner_id: Any, rank: str) -> None:
    """Posting an entry with a receivable (payable) line counts once more for the partner and its company."""
    partner = env.get("res.partner", partner_id) if partner_id else None
    if partner is None:
        return
    company = commercial_partner(env, partner)
    for rec in {id(partner): partner, id(company): company}.values():
        rec[rank] = int(rec.get(rank, 0)) + 1


def payment_entry(env: Env, payment: Record) -> int:
    """The payment's journal entry (move_type `entry`, posted, named like the payment)."""
    amount = float(payment["amount"])
    entry = env.create_raw(
        "account.move",
        {
            "move_type": "entry",
            "state": "posted",
            "name": payment["name"],
            "partner_id": payment.get("partner_id", False),
            "commercial_partner_id": payment.get("partner_id", False),
            "date": payment["date"],
            "journal_id": payment["journal_id"],
            "currency_id": payment["currency_id"],
            "company_id": payment.get("company_id", 1),
            "payment_state": "not_paid",
            "invoice_line_ids": [],
            "line_ids": [],
            "ref": False,
            "invoice_date": False,
            "amount_untaxed": 0.0,
            "amount_tax": 0.0,
            "amount_total": amount,
            "amount_residual": 0.0,
            "amount_untaxed_signed": 0.0,
            "amount_tax_signed": 0.0,
            "amount_total_signed": amount,
            "amount_residual_signed": 0.0,
        },
    )
    inbound = payment.get("payment_type") == "inbound"
    sale = payment.get("partner_type") == "customer"
    payment_item(env, entry, amount, inbound, sale=sale)
    _increase_rank(env, payment.get("partner_id"), "customer_rank" if sale else "supplier_rank")
    return int(entry["id"])


def _money_text(env: Env, payment: Record) -> str:
    currency = env.get("res.currency", payment.get("currency_id") or 1) or {}
    return f"{currency.get('symbol', '$')}\u00a0{float(payment['amount']):,.2f}"


def _next_partial(env: Env) -> int:
    """Ids of account.partial.reconcile: one sequence for the whole database."""
    seqs: dict[str, int] = env.data["meta"].setdefault("seq", {})
    seqs["account.partial.reconcile"] = seqs.get("account.partial.reconcile", 0) + 1
    return seqs["account.partial.reconcile"]


def widget_item(env: Env, payment: Record, journal: str) -> dict[str, Any]:
    """One line of `invoice_payments_widget.content`."""
    memo = payment.get("memo") or payment.get("ref") or ""
    if env.version < 18:
        partner = env.get("res.partner", payment.get("partner_id") or 0) or {}
        who = "Customer" if payment.get("partner_type") == "customer" else "Vendor"
        day = date.fromisoformat(payment["date"]).strftime("%m/%d/%Y")
        name = f"{who} Payment {_money_text(env, payment)} - {partner.get('name', '')} - {day}"
    else:
        name = f"Manual Payment: {memo or payment['name']}"
    item: dict[str, Any] = {
        "name": name,
        "journal_name": journal,
        "company_name": False,
        "amount": payment["amount"],
        "currency_id": payment["currency_id"],
        "date": payment["date"],
        "partial_id": _next_partial(env),
        "account_payment_id": payment["id"],
        "payment_method_name": "Manual" if env.version < 18 else "Manual Payment",
        "move_id": payment.get("move_id") or payment["id"],
        "ref": f"{payment['name']} ({memo})",
        "is_exchange": False,
        "amount_company_currency": _money_text(env, payment),
        "amount_foreign_currency": False,
    }
    if env.version >= 19:
        item["is_refund"] = False
    return item
