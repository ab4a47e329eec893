"""`register_payment` through Odoo's `account.payment.register` wizard, so the invoice really becomes
partial or paid (a hand-made `account.payment` would stay unreconciled)."""

from __future__ import annotations

from datetime import date
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Conflict
from mcp_servers.core.models import Preview
from mcp_servers.core.untrusted import md_inline
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import RegisterPaymentArgs
from mcp_servers.odoo.tools import company
from mcp_servers.odoo.tools_write import _move, _move_result
from mcp_servers.odoo.write_facts import bounded, company_amount, find_precedent, money, request_mark


def _memo_field(client: OdooClient) -> str:
    client.status()  # the field depends on the version: connect first
    return "memo" if client.version >= (18, 0) else "ref"


def _check_payable(move: dict[str, Any], invoice_id: int) -> None:
    if move["state"] != "posted":
        raise Conflict(f"Invoice {invoice_id} is {move['state']}: only a posted invoice can be paid (post it first).")
    if move["payment_state"] == "in_payment":
        raise Conflict(
            f"{move['name']} already has a payment registered that waits for the bank reconciliation (payment "
            "status 'in payment'), although Odoo still shows it as due: paying it again would pay twice. "
            "Reconcile the bank statement in Odoo first."
        )
    if move["payment_state"] == "blocked":
        raise Conflict(f"{move['name']} is blocked for payment in Odoo (payment status 'blocked'); unblock it first.")
    if move["amount_residual"] <= 0:
        raise Conflict(f"{move['name']} is already paid: there is nothing left to pay.")


def _plan(client: OdooClient, args: RegisterPaymentArgs) -> tuple[dict[str, Any], float, dict[str, Any]]:
    move = _move(client, args.invoice_id)
    _check_payable(move, args.invoice_id)
    amount = args.amount if args.amount is not None else move["amount_residual"]
    vals = {
        "amount": amount,
        "payment_date": (args.payment_date or date.today()).isoformat(),
        "communication": args.memo or move["name"],
    }
    return move, amount, vals


def _binding(move: dict[str, Any], args: RegisterPaymentArgs, own: str) -> dict[str, str]:
    partner_id, partner = move["partner_id"] if move["partner_id"] else (0, "?")
    binding = {"invoice": f"{move['name']} ({args.invoice_id})", "partner": f"{partner} ({partner_id})"}
    if args.amount is None:  # "all that is due" means what was due when the owner saw it
        binding["amount_due"] = f"{move['amount_residual']:.2f} {own}"
    else:  # an amount within what was due must not overpay because someone else paid part of it since
        fits = "at most what is due" if args.amount <= move["amount_residual"] else "more than is due"
        binding["amount"] = f"{args.amount:.2f} {own}, {fits}"
    return binding


def preview_payment(client: OdooClient, args: RegisterPaymentArgs) -> Preview:
    move, amount, vals = _plan(client, args)
    vendor = move["move_type"].startswith("in_")
    partner_id, partner = move["partner_id"] if move["partner_id"] else (0, "?")
    currency = company(client)["currency"]
    own = move["currency_id"][1] if isinstance(move["currency_id"], list) else currency
    recurring, failed = find_precedent(
        client,
        "account.payment",
        [
            ["partner_id", "=", partner_id],
            ["payment_type", "=", "outbound" if vendor else "inbound"],
            ["currency_id", "=", move["currency_id"][0] if isinstance(move["currency_id"], list) else False],
        ],
        "amount",
        amount,
        _memo_field(client),
    )
    due = move["amount_residual"]
    warnings = []
    if amount > due:
        warnings.append(f"{amount:.2f} is more than the {due:.2f} due; Odoo keeps the excess as an outstanding credit.")
    in_company = company_amount(move, amount)
    shown = f"{in_company:.2f} {currency}" + (f" ({amount:.2f} {own})" if own != currency else "")
    ctx = {"active_model": "account.move", "active_ids": [args.invoice_id]}
    what = "Pay bill" if vendor else "Record payment of invoice"
    return Preview(
        summary=f"{what} {move['name']} ({partner}): {shown}",
        details=f"{what} **{md_inline(move['name'])}** of {md_inline(partner)}: **{shown}** on {vals['payment_date']} "
        f"(due now {due:.2f} {own}), memo {md_inline(vals['communication'])}. Through Odoo's Register Payment "
        "wizard, so the invoice becomes partially or fully paid. The request id is added to the memo.",
        request={
            "calls": [
                {"model": "account.payment.register", "method": "create", "vals_list": [vals], "context": ctx},
                {"model": "account.payment.register", "method": "action_create_payments", "context": ctx},
            ]
        },
        warnings=warnings,
        amount=money(in_company),
        currency=currency,
        partner_known=True,
        recurring=recurring,
        lookup_failed=failed,
        platforms=["odoo"],
        action_type="payment",
        payee=f"odoo:res.partner:{partner_id}",
        amount_due=money(company_amount(move, due)),
        binding=_binding(move, args, own),
    )


def register_payment(client: OdooClient, args: RegisterPaymentArgs, call: CallContext) -> dict[str, Any]:
    _, amount, vals = _plan(client, args)
    vals["communication"] = f"{vals['communication']} {request_mark(call)}"
    ctx = {"active_model": "account.move", "active_ids": [args.invoice_id]}
    wizard = client.call("account.payment.register", "create", vals_list=[vals], context=ctx)
    wizard_id = wizard[0] if isinstance(wizard, list) else wizard
    action = client.call("account.payment.register", "action_create_payments", [int(wizard_id)], context=ctx)
    result = _move_result(client, args.invoice_id)  # re-read: the action's answer may be None
    payment_id = action.get("res_id") if isinstance(action, dict) else None
    return {**result, "payment_id": payment_id, "amount_paid": amount}


def resolve_payment(client: OdooClient, args: RegisterPaymentArgs, call: CallContext) -> Resolution:
    field = _memo_field(client)
    rows = client.search_read("account.payment", [[field, "ilike", call.request_id]], ["amount"], limit=1)
    if rows:
        result = _move_result(client, args.invoice_id)
        return Resolution.done(
            {**result, "payment_id": rows[0]["id"], "amount_paid": rows[0]["amount"]},
            "found the payment by its request id",
        )
    return Resolution.not_applied("no payment carries this request id")


REGISTER_PAYMENT = WriteAction(
    name="register_payment",
    action_type="payment",
    args=RegisterPaymentArgs,
    preview=preview_payment,
    execute=bounded(register_payment),
    resolve=resolve_payment,
    title="Register a payment on an invoice or bill",
    description="Record a payment received for a customer invoice, or made for a vendor bill, through Odoo's "
    "Register Payment wizard: the invoice becomes partially paid or paid. Default amount: all that is due.",
    destructive=False,
    idempotent=False,
)
