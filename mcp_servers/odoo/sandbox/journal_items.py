"""The receivable/payable journal items real Odoo keeps beside an invoice's product lines: a posted
invoice's payment-term line (its balance, and what is still due on it) and a payment entry's
counterpart line. Searches over `account.move.line` by account type find them, as on a real Odoo."""

from __future__ import annotations

from typing import Any

from mcp_servers.odoo.sandbox.accounting import action_post, is_sale
from mcp_servers.odoo.sandbox.orm import Env, Record


def _account(env: Env, sale: bool) -> int:
    return int(env.data["meta"]["accounts"]["receivable" if sale else "payable"])


def add_item(env: Env, move: Record, account: int, balance: float, residual: float) -> None:
    line = env.create_raw(
        "account.move.line",
        {
            "move_id": move["id"],
            "partner_id": move.get("partner_id", False),
            "account_id": account,
            "display_type": "payment_term",
            "name": False,
            "quantity": 1.0,
            "price_unit": 0.0,
            "debit": max(balance, 0.0),
            "credit": max(-balance, 0.0),
            "amount_residual": residual,
        },
    )
    move["line_ids"] = [*move.get("line_ids", []), line["id"]]


def post_with_terms(env: Env, ids: list[int]) -> Any:
    """`account.move.action_post`, then each posted invoice's payment-term item (once)."""
    result = action_post(env, ids)
    items = env.table("account.move.line")
    for rid in ids:
        move = env.get("account.move", rid)
        if move is None or move.get("move_type") == "entry" or move.get("state") != "posted":
            continue
        if any((items.get(str(i)) or {}).get("display_type") == "payment_term" for i in move.get("line_ids", [])):
            continue
        add_item(env, move, _account(env, is_sale(move["move_type"])), float(move.get("amount_total_signed", 0.0)), 0.0)
    return result


def term_residual(env: Env, line: Record) -> float:
    """What is still due on a payment-term item: its invoice's signed residual."""
    move = env.get("account.move", line.get("move_id") or 0) or {}
    if line.get("display_type") == "payment_term" and move.get("move_type", "entry") != "entry":
        return float(move.get("amount_residual_signed", 0.0))
    return float(line.get("amount_residual", 0.0))


def payment_item(env: Env, entry: Record, amount: float, inbound: bool, sale: bool) -> None:
    """The payment entry's receivable (customer) or payable (vendor) line, fully reconciled."""
    add_item(env, entry, _account(env, sale), -amount if inbound else amount, 0.0)
