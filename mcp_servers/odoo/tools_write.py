"""The Odoo write tools as `WriteAction`s: side-effect-free previews that give the approval policy its
facts, business-method executions that carry the request id into Odoo, and reads that settle an
interrupted write. Posted entries are never modified."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Conflict, InvalidInput, NotFound
from mcp_servers.core.models import Preview
from mcp_servers.core.untrusted import md_inline
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import CreateInvoiceArgs, CreatePartnerArgs, PostInvoiceArgs
from mcp_servers.odoo.tools import company
from mcp_servers.odoo.write_facts import bounded, find_precedent, money, request_mark


def _partner(client: OdooClient, partner_id: int, vendor: bool) -> tuple[dict[str, Any], bool]:
    rows = client.read_ids("res.partner", [partner_id], ["name", "customer_rank", "supplier_rank", "active"])
    if not rows:
        raise InvalidInput(
            f"there is no partner with id {partner_id}; use find_partners or create_partner first", field="partner_id"
        )
    row = rows[0]
    return row, (row["supplier_rank"] if vendor else row["customer_rank"]) > 0


# --- create_partner --------------------------------------------------------------------------------
def _partner_vals(args: CreatePartnerArgs) -> dict[str, Any]:
    return {k: v for k, v in args.model_dump().items() if v not in (None, "")}


def preview_partner(client: OdooClient, args: CreatePartnerArgs) -> Preview:
    domain: list[Any] = [["name", "=ilike", args.name]]
    if args.email:
        domain = ["|", ["email", "=ilike", args.email], *domain]
    dupes = client.search_read("res.partner", domain, ["name", "email"], limit=3)
    vals = _partner_vals(args)
    return Preview(
        summary=f"Create partner: {args.name}",
        details="Creates this contact in Odoo:\n\n" + "\n".join(f"- **{k}**: {md_inline(v)}" for k, v in vals.items()),
        request={"model": "res.partner", "method": "create", "vals_list": [vals]},
        warnings=[f"A partner with this name or email exists already: {d['name']} (id {d['id']})" for d in dupes],
        platforms=["odoo"],
    )


def create_partner(client: OdooClient, args: CreatePartnerArgs, call: CallContext) -> dict[str, Any]:
    vals = {**_partner_vals(args), "comment": f"Created by AI Employee, request {call.request_id}"}
    created = client.call("res.partner", "create", vals_list=[vals])
    return {"partner_id": created[0] if isinstance(created, list) else created, "name": args.name}


def resolve_partner(client: OdooClient, args: CreatePartnerArgs, call: CallContext) -> Resolution:
    rows = client.search_read(
        "res.partner", [["comment", "ilike", call.request_id]], ["name"], limit=1, context={"active_test": False}
    )
    if rows:
        return Resolution.done({"partner_id": rows[0]["id"], "name": rows[0]["name"]}, "found by its request id")
    return Resolution.not_applied("no partner carries this request id")


# --- create_invoice --------------------------------------------------------------------------------
def _line_taxes(client: OdooClient, args: CreateInvoiceArgs) -> tuple[dict[int, dict[str, Any]], dict[int, Any]]:
    product_ids = sorted({ln.product_id for ln in args.lines if ln.product_id})
    products = {
        p["id"]: p
        for p in client.read_ids(
            "product.product", product_ids, ["name", "list_price", "standard_price", "taxes_id", "supplier_taxes_id"]
        )
    }
    for pid in product_ids:
        if pid not in products:
            raise InvalidInput(f"there is no product with id {pid}; use find_products", field="lines.product_id")
    tax_ids = {t for ln in args.lines for t in (ln.tax_ids or [])}
    tax_ids |= {t for p in products.values() for t in p["taxes_id"] + p["supplier_taxes_id"]}
    taxes = {
        t["id"]: t
        for t in client.read_ids(
            "account.tax", sorted(tax_ids), ["name", "amount", "amount_type", "price_include", "type_tax_use"]
        )
    }
    for ln in args.lines:
        for tid in ln.tax_ids or []:
            if tid not in taxes:
                raise InvalidInput(f"there is no tax with id {tid}", field="lines.tax_ids")
    return products, taxes


def _lines(args: CreateInvoiceArgs, products: dict[int, Any], taxes: dict[int, Any]) -> tuple[list[Any], float, float]:
    vendor = args.kind == "vendor"
    commands, untaxed, tax_total = [], 0.0, 0.0
    for ln in args.lines:
        product = products.get(ln.product_id or 0)
        price = (
            ln.unit_price
            if ln.unit_price is not None
            else (product["standard_price" if vendor else "list_price"] if product else 0.0)
        )
        tax_ids = (
            ln.tax_ids
            if ln.tax_ids is not None
            else (product["supplier_taxes_id" if vendor else "taxes_id"] if product else [])
        )
        base = round(ln.quantity * price, 2)
        tax = 0.0
        for tid in tax_ids:
            t = taxes[tid]
            if t["amount_type"] == "fixed":
                tax += t["amount"] * ln.quantity
            elif t["price_include"]:
                net = base / (1 + t["amount"] / 100)
                tax, base = tax + base - net, net
            else:
                tax += base * t["amount"] / 100
        untaxed, tax_total = untaxed + round(base, 2), tax_total + round(tax, 2)
        vals: dict[str, Any] = {"quantity": ln.quantity, "price_unit": price, "tax_ids": [[6, 0, list(tax_ids)]]}
        if ln.product_id:
            vals["product_id"] = ln.product_id
        vals["name"] = ln.description or (product["name"] if product else "")
        commands.append([0, 0, vals])
    return commands, round(untaxed, 2), round(tax_total, 2)


def _invoice_vals(args: CreateInvoiceArgs, lines: list[Any]) -> dict[str, Any]:
    vals: dict[str, Any] = {
        "move_type": "in_invoice" if args.kind == "vendor" else "out_invoice",
        "partner_id": args.partner_id,
        "invoice_line_ids": lines,
    }
    if args.invoice_date:
        vals["invoice_date"] = args.invoice_date.isoformat()
    if args.due_date:
        vals["invoice_date_due"] = args.due_date.isoformat()
    if args.payment_term_id:
        vals["invoice_payment_term_id"] = args.payment_term_id
    vals["ref"] = args.reference or ""
    return vals


def _terms(args: CreateInvoiceArgs) -> str:
    """The invoice's own fields the owner approves besides its lines: reference, dates, payment terms."""
    terms = [f"reference {md_inline(args.reference)}"] if args.reference else []
    terms += [
        f"{label} {value}"  # typed values: dates and an id, nothing to escape
        for label, value in (
            ("invoice date", args.invoice_date),
            ("due", args.due_date),
            ("payment terms id", args.payment_term_id),
        )
        if value
    ]
    text = "; ".join(terms)
    return f" {text[:1].upper()}{text[1:]}." if terms else ""


def preview_invoice(client: OdooClient, args: CreateInvoiceArgs) -> Preview:
    vendor = args.kind == "vendor"
    partner, known = _partner(client, args.partner_id, vendor)
    if args.payment_term_id and not client.read_ids("account.payment.term", [args.payment_term_id], ["name"]):
        raise InvalidInput(f"there are no payment terms with id {args.payment_term_id}", field="payment_term_id")
    products, taxes = _line_taxes(client, args)
    lines, untaxed, tax = _lines(args, products, taxes)
    total = round(untaxed + tax, 2)
    move_type = "in_invoice" if vendor else "out_invoice"
    recurring, failed = find_precedent(
        client,
        "account.move",
        [["partner_id", "=", args.partner_id], ["move_type", "=", move_type], ["state", "=", "posted"]],
        "amount_total_signed",  # company currency, negative on bills
        -total if vendor else total,
        "ref",
    )
    currency = company(client)["currency"]
    label = "vendor bill" if vendor else "customer invoice"
    rows = "\n".join(f"| {md_inline(c[2]['name'])} | {c[2]['quantity']:g} | {c[2]['price_unit']:.2f} |" for c in lines)
    warnings = [] if known else [f"{partner['name']} has no posted {label} yet (a new payee)."]
    if args.due_date and args.due_date < date.today():
        warnings.append("The due date is in the past: the invoice will be overdue at once.")
    if vendor and not args.invoice_date:
        warnings.append("No bill date: Odoo will refuse to post this bill until its bill date is set.")
    return Preview(
        summary=f"Create draft {label} for {partner['name']}: {total:.2f} {currency}",
        details=f"Draft {label} for **{md_inline(partner['name'])}** (created as draft; posting is a separate "
        "approval).\n\n"
        f"| Line | Qty | Unit price |\n|---|---|---|\n{rows}\n\nUntaxed {untaxed:.2f}, tax {tax:.2f}, "
        f"**total {total:.2f} {currency}**.{_terms(args)} The request id is added to the reference.",
        request={"model": "account.move", "method": "create", "vals_list": [_invoice_vals(args, lines)]},
        warnings=warnings,
        amount=money(total),
        currency=currency,
        partner_known=known,
        recurring=recurring,
        lookup_failed=failed,
        platforms=["odoo"],
        action_type="vendor_bill" if vendor else "invoice",
        payee=f"odoo:res.partner:{args.partner_id}",
    )


def create_invoice(client: OdooClient, args: CreateInvoiceArgs, call: CallContext) -> dict[str, Any]:
    products, taxes = _line_taxes(client, args)
    lines, _, _ = _lines(args, products, taxes)
    vals = _invoice_vals(args, lines)
    mark = request_mark(call)
    vals["ref"] = f"{args.reference} {mark}" if args.reference else mark
    created = client.call("account.move", "create", vals_list=[vals])
    return _move_result(client, int(created[0] if isinstance(created, list) else created))


def _move_result(client: OdooClient, move_id: int) -> dict[str, Any]:
    rows = client.read_ids(
        "account.move", [move_id], ["name", "state", "amount_total", "ref", "payment_state", "amount_residual"]
    )
    if not rows:
        raise NotFound(f"Invoice {move_id} is gone.")
    r = rows[0]
    return {
        "invoice_id": move_id,
        "number": r["name"] if r["name"] not in (False, "/") else None,  # a draft: "/" on 17–18, false on 19
        "state": r["state"],
        "amount_total": r["amount_total"],
        "amount_due": r["amount_residual"],
        "payment_state": r["payment_state"],
        "reference": r["ref"],
    }


def resolve_invoice(client: OdooClient, args: CreateInvoiceArgs, call: CallContext) -> Resolution:
    rows = client.search_read("account.move", [["ref", "ilike", call.request_id]], ["id"], limit=1)
    if rows:
        return Resolution.done(_move_result(client, rows[0]["id"]), "found the invoice by its request id")
    return Resolution.not_applied("no invoice carries this request id")


# --- post_invoice ----------------------------------------------------------------------------------
def _move(client: OdooClient, move_id: int) -> dict[str, Any]:
    rows = client.read_ids(
        "account.move",
        [move_id],
        [
            "name",
            "state",
            "move_type",
            "partner_id",
            "amount_total",
            "amount_total_signed",
            "amount_residual",
            "amount_residual_signed",
            "invoice_line_ids",
            "payment_state",
            "currency_id",
            "invoice_date",
        ],
    )
    if not rows or rows[0]["move_type"] == "entry":
        raise NotFound(f"There is no invoice or bill with id {move_id}.")
    return rows[0]


LINE_FIELDS = ["name", "product_id", "quantity", "price_unit", "tax_ids", "price_subtotal", "display_type"]


def lines_digest(client: OdooClient, line_ids: list[int]) -> str:
    """A digest of a draft's lines as Odoo stores them: any edit of a line changes it."""
    rows = sorted(client.read_ids("account.move.line", line_ids, LINE_FIELDS), key=lambda r: r["id"])
    canonical = json.dumps([[r["id"], *(r.get(f) for f in LINE_FIELDS)] for r in rows], sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _check_postable(move: dict[str, Any], invoice_id: int) -> None:
    if move["state"] != "draft":
        raise Conflict(
            f"Invoice {move['name'] or invoice_id} is {move['state']}, not draft: posted entries are never changed "
            "here. To correct a posted invoice, issue a credit note in Odoo."
        )
    if not move["invoice_line_ids"]:
        raise Conflict(f"Invoice {invoice_id} has no lines; Odoo refuses to post it (add a line first).")
    if move["move_type"].startswith("in_") and not move["invoice_date"]:
        raise Conflict(
            f"Vendor bill {invoice_id} has no bill date, and Odoo refuses to post a bill without one: set its "
            "Bill Date in Odoo (the date on the vendor's bill), then ask again."
        )


def preview_post(client: OdooClient, args: PostInvoiceArgs) -> Preview:
    move = _move(client, args.invoice_id)
    _check_postable(move, args.invoice_id)
    vendor = move["move_type"].startswith("in_")
    partner, known = _partner(client, move["partner_id"][0], vendor) if move["partner_id"] else ({"name": "?"}, False)
    amount = abs(move["amount_total_signed"])  # company currency
    recurring, failed = find_precedent(
        client,
        "account.move",
        [["partner_id", "=", move["partner_id"][0]], ["move_type", "=", move["move_type"]], ["state", "=", "posted"]],
        "amount_total_signed",
        move["amount_total_signed"],
        "ref",
    )
    currency = company(client)["currency"]
    own = move["currency_id"][1] if isinstance(move["currency_id"], list) else currency
    shown = f"{amount:.2f} {currency}" + (f" ({move['amount_total']:.2f} {own})" if own != currency else "")
    partner_label = f"{partner['name']} ({move['partner_id'][0] if move['partner_id'] else '?'})"
    return Preview(
        summary=f"Post {'bill' if vendor else 'invoice'} {args.invoice_id} for {partner['name']}: {shown}",
        details=f"Posts draft {move['move_type']} {args.invoice_id} (**{shown}**, "
        f"{md_inline(partner['name'])}). Odoo gives it its number; after that it is never changed here. If the "
        "draft is edited in Odoo before this runs, it is refused.",
        request={"model": "account.move", "method": "action_post", "ids": [args.invoice_id]},
        amount=money(amount),
        currency=currency,
        partner_known=known,
        recurring=recurring,
        lookup_failed=failed,
        platforms=["odoo"],
        action_type="vendor_bill" if vendor else "invoice",
        payee=f"odoo:res.partner:{move['partner_id'][0] if move['partner_id'] else 0}",
        binding={
            "amount_total": f"{move['amount_total']:.2f} {own}",
            "partner": partner_label,
            "lines": lines_digest(client, move["invoice_line_ids"]),
        },
    )


def post_invoice(client: OdooClient, args: PostInvoiceArgs, call: CallContext) -> dict[str, Any]:
    preview_post(client, args)  # re-checked at run time: it must still be a draft with lines
    client.call("account.move", "action_post", [args.invoice_id])
    return _move_result(client, args.invoice_id)  # re-read: the answer may have been None


def resolve_post(client: OdooClient, args: PostInvoiceArgs, call: CallContext) -> Resolution:
    result = _move_result(client, args.invoice_id)
    if result["state"] == "posted":
        return Resolution.done(result, "the invoice is posted")
    return Resolution.not_applied("the invoice is still a draft")


CREATE_PARTNER = WriteAction(
    name="create_partner",
    action_type="partner",
    args=CreatePartnerArgs,
    preview=preview_partner,
    execute=bounded(create_partner),
    resolve=resolve_partner,
    title="Create a customer or vendor",
    description="Create a contact (customer or vendor) in Odoo. The preview warns about likely duplicates.",
    destructive=False,
    idempotent=False,
)
CREATE_INVOICE = WriteAction(
    name="create_invoice",
    action_type="invoice",
    args=CreateInvoiceArgs,
    preview=preview_invoice,
    execute=bounded(create_invoice),
    resolve=resolve_invoice,
    title="Create a draft invoice or vendor bill",
    description="Create a customer invoice or vendor bill as a draft: lines by product (price and taxes default "
    "from it) or free text, taxes, and a due date or payment terms. Posting is a separate step (post_invoice).",
    destructive=False,
    idempotent=False,
)
POST_INVOICE = WriteAction(
    name="post_invoice",
    action_type="invoice",
    args=PostInvoiceArgs,
    preview=preview_post,
    execute=bounded(post_invoice),
    resolve=resolve_post,
    title="Post (validate) a draft invoice or bill",
    description="Post a draft invoice or bill so it gets its number and counts in the books. Only drafts: a "
    "posted entry is never modified.",
    destructive=False,
    idempotent=True,
)
