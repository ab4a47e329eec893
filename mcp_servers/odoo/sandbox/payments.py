"""The emulator's payments: `account.payment.register` (create from the invoices in the context, then
`action_create_payments`), reconciled `account.payment` records, and the per-version payment states."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.accounting import _journal_for, _money, is_sale, recompute, today
from mcp_servers.odoo.sandbox.errors import UserError, ValidationError
from mcp_servers.odoo.sandbox.payment_wire import payment_entry, payment_state, settle_states, widget_item

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env, Record


def defaults(env: Env, model: str) -> dict[str, Any]:
    if model == "account.payment.register":
        return {"payment_date": today()}
    if model == "account.move":
        return {"move_type": env.context.get("default_move_type", "entry"), "state": "draft", "date": today()}
    if model == "res.partner":
        return {"active": True, "type": "contact", "is_company": False}
    return {}


def _wizard_moves(env: Env) -> list[Record]:
    if env.context.get("active_model") not in ("account.move", "account.move.line"):
        raise UserError(
            "The register payment wizard should only be called on account.move or account.move.line records."
        )
    ids = env.context.get("active_ids") or []
    if env.context["active_model"] == "account.move.line":
        ids = sorted({env.browse_existing("account.move.line", [i])[0]["move_id"] for i in ids})
    moves = env.browse_existing("account.move", list(ids))
    if not moves:
        raise UserError(
            "You can't register a payment because there is nothing left to pay on the selected journal items."
        )
    if any(m["state"] != "posted" for m in moves):
        raise UserError("You can only register payment for posted journal entries.")
    if all(m.get("amount_residual", 0.0) <= 0 for m in moves):
        raise UserError(
            "You can't register a payment because there is nothing left to pay on the selected journal items."
        )
    if len({is_sale(m["move_type"]) for m in moves}) > 1:
        raise UserError("You can't register payments for both inbound and outbound moves at the same time.")
    return moves


def create_wizard(env: Env, vals_list: list[Any]) -> list[int]:
    ids = []
    for vals in vals_list:
        moves = _wizard_moves(env)
        raw = env.convert("account.payment.register", vals)
        raw.setdefault("payment_date", today())
        raw.setdefault("amount", _money(sum(m["amount_residual"] for m in moves)))
        raw.setdefault("communication", ", ".join(m["name"] for m in moves))
        raw.setdefault("journal_id", _journal_for(env, "bank"))
        raw.setdefault("currency_id", moves[0]["currency_id"])
        raw["partner_id"] = moves[0].get("partner_id", False)
        raw["line_ids"] = [lid for m in moves for lid in m.get("invoice_line_ids", [])[:1]]
        raw["_move_ids"] = [m["id"] for m in moves]
        ids.append(env.create_raw("account.payment.register", raw)["id"])
    return ids


def pay_move(env: Env, move: Record, amount: float, day: str, memo: Any, journal_id: Any) -> Record:
    """Create the reconciled payment for `amount` and lower the move's residual."""
    if amount <= 0:
        raise ValidationError("The payment amount must be strictly positive.")
    sale = is_sale(move["move_type"])
    inbound = move["move_type"] in ("out_invoice", "in_refund", "out_receipt")
    memo_field = "memo" if env.version >= 18 else "ref"
    journal = env.get("account.journal", journal_id) if journal_id else None
    code = journal["code"] if journal else "BNK1"
    seqs = env.data["meta"].setdefault("seq", {})
    key = f"P{code}/{day[:4]}/"
    seqs[key] = seqs.get(key, 0) + 1
    payment = env.create_raw(
        "account.payment",
        {
            "name": f"{key}{seqs[key]:05d}",
            "payment_type": "inbound" if inbound else "outbound",
            "partner_type": "customer" if sale else "supplier",
            "partner_id": move.get("partner_id", False),
            "amount": _money(amount),
            "date": day,
            "journal_id": journal_id or _journal_for(env, "bank"),
            "currency_id": move["currency_id"],
            "company_id": move.get("company_id", 1),
            "state": payment_state(env, inbound),
            memo_field: memo or False,
            "is_reconciled": True,
            "reconciled_invoice_ids": [move["id"]] if sale else [],
            "reconciled_bill_ids": [] if sale else [move["id"]],
        },
    )
    payment["move_id"] = payment_entry(env, payment)
    move["write_date"] = payment["create_date"]  # a payment rewrites its invoice's payment state
    if env.version >= 18:
        move["matched_payment_ids"] = [*move.get("matched_payment_ids", []), payment["id"]]
    if env.version >= 18 and env.data["meta"].get("accountant"):
        # The accountant module (Odoo Online): no journal entry until the bank reconciliation, so the
        # invoice waits `in_payment` with its residual unchanged.
        payment.update(state="in_process", is_reconciled=False, reconciled_invoice_ids=[], reconciled_bill_ids=[])
        move["payment_state"] = "in_payment"
        return payment
    move["_paid"] = _money(move.get("_paid", 0.0) + amount)
    recompute(env, move)
    move["payment_state"] = "paid" if move["amount_residual"] <= 0 else "partial"
    move.setdefault("_payment_ids", []).append(payment["id"])
    settle_states(env, move, inbound)
    _widget_add(env, move, payment, journal["name"] if journal else "Bank")
    return payment


def _widget_add(env: Env, move: Record, payment: Record, journal: str) -> None:
    """`invoice_payments_widget` as Odoo's invoice form reads it: one entry per reconciled payment."""
    widget = move.get("invoice_payments_widget") or {"title": "Less Payment", "outstanding": False, "content": []}
    widget["content"].append(widget_item(env, payment, journal))
    move["invoice_payments_widget"] = widget


def action_create_payments(env: Env, ids: list[int]) -> dict[str, Any]:
    payments = []
    for wizard in env.browse_existing("account.payment.register", ids):
        moves = env.browse_existing("account.move", wizard["_move_ids"])
        for move in moves:
            if move.get("amount_residual", 0.0) <= 0:
                raise UserError(
                    "You can't register a payment because there is nothing left to pay on the selected journal items."
                )
            amount = wizard["amount"] if len(moves) == 1 else move["amount_residual"]
            payments.append(
                pay_move(
                    env, move, amount, wizard["payment_date"], wizard.get("communication"), wizard.get("journal_id")
                )
            )
        env.table("account.payment.register").pop(str(wizard["id"]), None)
    action: dict[str, Any] = {
        "name": "Payments",
        "type": "ir.actions.act_window",
        "res_model": "account.payment",
        "context": {"create": False},
    }
    if len(payments) == 1:
        action.update(view_mode="form", res_id=payments[0]["id"])
    else:
        action.update(
            view_mode="tree,form" if env.version < 18 else "list,form",
            domain=[["id", "in", [p["id"] for p in payments]]],
        )
    return action


def payment_post(env: Env, ids: list[int]) -> None:
    """`account.payment.action_post` on a hand-made payment: posted but not reconciled (returns None)."""
    for payment in env.browse_existing("account.payment", ids):
        payment["state"] = "in_process" if env.version >= 18 else "posted"
