"""The emulator's accounting: invoices and bills with lines and taxes, posting with sequence names,
reset/cancel, and payment through the `account.payment.register` wizard, with Odoo's UserErrors."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.errors import UserError, ValidationError
from mcp_servers.odoo.sandbox.terms import term_due_date

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env, Record

INVOICE_TYPES = ("out_invoice", "out_refund", "in_invoice", "in_refund", "out_receipt", "in_receipt")
_SIGN = {
    "out_invoice": 1,
    "out_refund": -1,
    "in_invoice": -1,
    "in_refund": 1,
    "out_receipt": 1,
    "in_receipt": -1,
    "entry": 1,
}
_PREFIX = {
    "out_invoice": "INV",
    "out_refund": "RINV",
    "in_invoice": "BILL",
    "in_refund": "RBILL",
    "out_receipt": "RCPT",
    "in_receipt": "RCPT",
    "entry": "MISC",
}
_LINE_KEYS = ("invoice_line_ids", "line_ids")


def today() -> str:
    return date.today().isoformat()


def _money(x: float) -> float:
    return round(x + 0.0, 2)


def is_sale(move_type: str) -> bool:
    return move_type.startswith("out_")


def _journal_for(env: Env, jtype: str) -> int | None:
    for rec in env.table("account.journal").values():
        if rec.get("type") == jtype and rec.get("active", True):
            return int(rec["id"])
    return None


def _company(env: Env) -> Record:
    return env.table("res.company")[str(env.data["meta"].get("company_id", 1))]


# --- lines and totals -----------------------------------------------------------------------------
def _line_values(env: Env, move: Record, vals: dict[str, Any]) -> Record:
    raw = env.convert("account.move.line", vals)
    sale = is_sale(move["move_type"])
    product = env.get("product.product", raw["product_id"]) if raw.get("product_id") else None
    if product is not None:
        raw.setdefault("name", product.get("name") or False)
        raw.setdefault("price_unit", float(product.get("list_price" if sale else "standard_price") or 0.0))
        raw.setdefault("tax_ids", list(product.get("taxes_id" if sale else "supplier_taxes_id") or []))
    raw.setdefault("quantity", 1.0)
    raw.setdefault("price_unit", 0.0)
    raw.setdefault("discount", 0.0)
    raw.setdefault("tax_ids", [])
    raw.setdefault("display_type", "product")
    raw.setdefault("account_id", env.data["meta"]["accounts"]["income" if sale else "expense"])
    raw["move_id"] = move["id"]
    raw["partner_id"] = move.get("partner_id", False)
    return raw


def _line_amounts(env: Env, line: Record) -> tuple[float, float]:
    """(price_subtotal, price_total) with Odoo's per-line rounding."""
    base = line.get("quantity", 0.0) * line.get("price_unit", 0.0) * (1 - (line.get("discount") or 0.0) / 100)
    tax = 0.0
    for tid in line.get("tax_ids") or []:
        t = env.get("account.tax", tid)
        if t is None:
            continue
        if t.get("amount_type") == "fixed":
            tax += t["amount"] * line.get("quantity", 0.0)
        elif t.get("price_include"):
            untaxed = base / (1 + t["amount"] / 100)
            tax += base - untaxed
            base = untaxed
        else:
            tax += base * t["amount"] / 100
    return _money(base), _money(base + tax)


def recompute(env: Env, move: Record) -> None:
    untaxed = tax = 0.0
    for lid in move.get("invoice_line_ids", []):
        line = env.get("account.move.line", lid)
        if line is None or line.get("display_type") != "product":
            continue
        sub, total = _line_amounts(env, line)
        line["price_subtotal"], line["price_total"] = sub, total
        untaxed += sub
        tax += total - sub
    currency = env.get("res.currency", move["currency_id"]) if move.get("currency_id") else None
    sign = _SIGN.get(move["move_type"], 1) / float((currency or {}).get("rate") or 1.0)  # *_signed: company currency
    total = _money(untaxed + tax)
    paid = move.get("_paid", 0.0)
    residual = _money(max(total - paid, 0.0)) if move["state"] == "posted" else total
    move.update(
        amount_untaxed=_money(untaxed),
        amount_tax=_money(tax),
        amount_total=total,
        amount_residual=residual,
        amount_untaxed_signed=_money(sign * untaxed),
        amount_tax_signed=_money(sign * tax),
        amount_total_signed=_money(sign * total),
        amount_residual_signed=_money(sign * residual),
    )


def _add_lines(env: Env, move: Record, commands: Any) -> None:
    if not isinstance(commands, list | tuple):
        raise UserError("Invoice lines must be a list of (0, 0, values) commands.")
    for cmd in commands:
        if not isinstance(cmd, list | tuple) or len(cmd) != 3 or cmd[0] not in (0, 1, 2, 3, 5, 6, 4):
            raise ValidationError(f"Invalid command {cmd!r} for the invoice lines")
        if cmd[0] == 0:
            line = env.create_raw("account.move.line", _line_values(env, move, cmd[2]))
            move.setdefault("invoice_line_ids", []).append(line["id"])
        elif cmd[0] == 1:
            line = env.browse_existing("account.move.line", [cmd[1]])[0]
            line.update(env.convert("account.move.line", cmd[2]))
        elif cmd[0] in (2, 3):
            env.table("account.move.line").pop(str(cmd[1]), None)
            move["invoice_line_ids"] = [i for i in move.get("invoice_line_ids", []) if i != cmd[1]]
        elif cmd[0] == 5:
            for lid in move.get("invoice_line_ids", []):
                env.table("account.move.line").pop(str(lid), None)
            move["invoice_line_ids"] = []
    move["line_ids"] = list(move.get("invoice_line_ids", []))


def _due_date(env: Env, move: Record) -> Any:
    term = (
        env.get("account.payment.term", move["invoice_payment_term_id"])
        if move.get("invoice_payment_term_id")
        else None
    )
    if term is not None and move.get("invoice_date"):
        return term_due_date(term, move["invoice_date"])
    if move.get("move_type", "entry") == "entry":
        return move.get("invoice_date_due") or move.get("invoice_date") or False
    return move.get("invoice_date_due") or move.get("invoice_date") or today()  # real Odoo: today for a draft


# --- account.move hooks ---------------------------------------------------------------------------
def create_moves(env: Env, vals_list: list[Any]) -> list[int]:
    ids = []
    for vals in vals_list:
        if not isinstance(vals, dict):
            raise ValidationError(f"Invalid values {vals!r}: a dictionary is expected")
        lines = [vals[k] for k in _LINE_KEYS if k in vals]
        head = env.convert("account.move", {k: v for k, v in vals.items() if k not in _LINE_KEYS})
        move_type = head.get("move_type") or env.context.get("default_move_type") or "entry"
        jtype = "sale" if is_sale(move_type) else "purchase" if move_type.startswith("in_") else "general"
        company = _company(env)
        raw = {
            "move_type": move_type,
            "state": "draft",
            "name": "/" if env.version < 18 else False,  # a fresh 18.0/19.0 draft reads its number as false
            "payment_state": "not_paid",
            "journal_id": _journal_for(env, jtype),
            "currency_id": company["currency_id"],
            "company_id": company["id"],
            "date": head.get("invoice_date") or today(),
            "invoice_line_ids": [],
            "line_ids": [],
            "ref": False,
            "invoice_date": False,
            "partner_id": False,
            **head,
        }
        raw["commercial_partner_id"] = raw.get("partner_id") or False
        move = env.create_raw("account.move", raw)
        for commands in lines:
            _add_lines(env, move, commands)
        if env.version == 17 and move_type != "entry" and move.get("invoice_date") and _first_in_period(env, move):
            move["name"] = _sequence(env, move)  # real 17 numbers a dated draft that opens its sequence's period
        move["invoice_date_due"] = _due_date(env, move)
        recompute(env, move)
        ids.append(move["id"])
    return ids


def write_moves(env: Env, ids: list[int], vals: Any) -> bool:
    for move in env.browse_existing("account.move", ids):
        lines = [vals[k] for k in _LINE_KEYS if k in vals] if isinstance(vals, dict) else []
        head = env.convert("account.move", {k: v for k, v in vals.items() if k not in _LINE_KEYS}, move)
        move.update(head)
        for commands in lines:
            _add_lines(env, move, commands)
        if "invoice_payment_term_id" in head or "invoice_date" in head:
            move["invoice_date_due"] = _due_date(env, move)
        recompute(env, move)
    return True


def unlink_moves(env: Env, ids: list[int]) -> None:
    for move in env.browse_existing("account.move", ids):
        if move["state"] == "posted":
            raise UserError(
                "You can't delete a posted journal item. Don’t play games with your accounting records; "
                "reset the journal entry to draft before deleting it."
            )
        for lid in move.get("invoice_line_ids", []):
            env.table("account.move.line").pop(str(lid), None)


def _sequence_key(move: Record) -> tuple[str, int]:
    """The sequence a move's number comes from (yearly for customer documents, monthly for bills)."""
    day = date.fromisoformat(move.get("date") or today())
    prefix = _PREFIX.get(move["move_type"], "MISC")
    if move["move_type"].startswith("out_"):
        return f"{prefix}/{day.year}/", 5
    return f"{prefix}/{day.year}/{day.month:02d}/", 4


def _sequence(env: Env, move: Record) -> str:
    key, width = _sequence_key(move)
    seqs = env.data["meta"].setdefault("seq", {})
    seqs[key] = seqs.get(key, 0) + 1
    return f"{key}{seqs[key]:0{width}d}"


def _first_in_period(env: Env, move: Record) -> bool:
    return not env.data["meta"].setdefault("seq", {}).get(_sequence_key(move)[0])


def action_post(env: Env, ids: list[int]) -> bool:
    for move in env.browse_existing("account.move", ids):
        if move["state"] == "posted":
            raise UserError(f"The entry {move['name']} (id {move['id']}) must be in draft.")
        if move["move_type"] in INVOICE_TYPES:
            if not move.get("invoice_line_ids"):
                raise UserError("You need to add a line before posting.")
            if not move.get("partner_id"):
                label = "Customer" if is_sale(move["move_type"]) else "Vendor"
                raise UserError(f"The field '{label}' is required, please complete it to validate the document.")
            if move["move_type"].startswith("in_") and not move.get("invoice_date"):
                raise UserError("The Bill/Refund date is required to validate this document.")
            move["invoice_date"] = move.get("invoice_date") or today()
            move["date"] = move["invoice_date"]
            move["invoice_date_due"] = _due_date(env, move)
        move["state"] = "posted"
        if move.get("name") in (False, "/"):
            move["name"] = _sequence(env, move)
        recompute(env, move)
        partner = env.get("res.partner", move["partner_id"]) if move.get("partner_id") else None
        if partner is not None:
            rank = "customer_rank" if is_sale(move["move_type"]) else "supplier_rank"
            partner[rank] = partner.get(rank, 0) + 1
    return False


def button_draft(env: Env, ids: list[int]) -> None:
    for move in env.browse_existing("account.move", ids):
        if move.get("_paid"):
            raise UserError(
                "You cannot reset to draft an entry that has payments reconciled with it; unreconcile them first."
            )
        move["state"] = "draft"
        recompute(env, move)


def button_cancel(env: Env, ids: list[int]) -> None:
    for move in env.browse_existing("account.move", ids):
        if move["state"] != "draft":
            raise UserError("Only draft journal entries can be cancelled.")
        move["state"] = "cancel"


def create_lines(env: Env, vals_list: list[Any]) -> list[int]:
    ids = []
    for vals in vals_list:
        move_id = vals.get("move_id") if isinstance(vals, dict) else None
        if not isinstance(move_id, int):
            raise ValidationError("Missing required value for the field 'Journal Entry' (move_id)")
        move = env.browse_existing("account.move", [move_id])[0]
        line = env.create_raw(
            "account.move.line", _line_values(env, move, {k: v for k, v in vals.items() if k != "move_id"})
        )
        move.setdefault("invoice_line_ids", []).append(line["id"])
        move["line_ids"] = list(move["invoice_line_ids"])
        recompute(env, move)
        ids.append(line["id"])
    return ids


def write_lines(env: Env, ids: list[int], vals: Any) -> bool:
    moves = set()
    for line in env.browse_existing("account.move.line", ids):
        line.update(env.convert("account.move.line", vals, line))
        moves.add(line["move_id"])
    for move in env.browse_existing("account.move", sorted(moves)):
        recompute(env, move)
    return True
