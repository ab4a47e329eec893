"""The Odoo read tools: plain functions of (client, args) → result, one batched read each (no N+1)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from mcp_servers.core.errors import NotFound
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import (
    FindPartnersArgs,
    FindProductsArgs,
    GetInvoiceArgs,
    GetStatusArgs,
    InvoiceDetail,
    InvoiceLine,
    InvoiceList,
    InvoiceSummary,
    ListInvoicesArgs,
    Partner,
    PartnerList,
    Payment,
    Product,
    ProductList,
    RecordList,
    SearchRecordsArgs,
    Status,
)

MOVE_FIELDS = [
    "name",
    "partner_id",
    "invoice_date",
    "invoice_date_due",
    "state",
    "payment_state",
    "amount_total",
    "amount_residual",
    "ref",
    "move_type",
    "amount_total_signed",
    "amount_residual_signed",
]
UNPAID = ["not_paid", "partial", "in_payment"]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _m2o(value: Any) -> tuple[int | None, str | None]:
    return (value[0], value[1]) if isinstance(value, list) and value else (None, None)


def company(client: OdooClient) -> dict[str, Any]:
    """The company's name and currency (read once per process)."""
    if "company" not in client.cache:
        rows = client.search_read("res.company", [], ["name", "currency_id"], limit=1)
        row = rows[0] if rows else {"name": "?", "currency_id": [0, "USD"]}
        client.cache["company"] = {"name": row["name"], "currency": _m2o(row["currency_id"])[1] or "USD"}
    info: dict[str, Any] = client.cache["company"]
    return info


def get_status(client: OdooClient, args: GetStatusArgs) -> Status:
    """Which Odoo this is: version, protocol (XML-RPC or JSON-2), database, user, company and currency."""
    state = client.status()
    user = client.read("res.users", "context_get") if state["protocol"] == "json2" else None
    info = company(client)
    login = client.conn.login
    if state["uid"]:
        rows = client.read_ids("res.users", [state["uid"]], ["name"])
        login = rows[0]["name"] if rows else login
    elif isinstance(user, dict):
        rows = client.read_ids("res.users", [int(user.get("uid", 0))], ["name"]) if user.get("uid") else []
        login = rows[0]["name"] if rows else login
    return Status(
        version=client.version_label,
        protocol=str(state["protocol"]),
        database=client.conn.db,
        user=login,
        company=info["name"],
        currency=info["currency"],
        url=client.conn.url,
    )


def find_partners(client: OdooClient, args: FindPartnersArgs) -> PartnerList:
    """Find customers and vendors by part of their name, email or tax id."""
    domain: list[Any] = []
    if args.query:
        domain += [
            "|",
            "|",
            ["name", "ilike", args.query],
            ["email", "ilike", args.query],
            ["vat", "ilike", args.query],
        ]
    if args.role != "any":
        domain.append(["customer_rank" if args.role == "customer" else "supplier_rank", ">", 0])
    rows = client.search_read(
        "res.partner",
        domain,
        ["name", "email", "phone", "vat", "is_company", "customer_rank", "supplier_rank"],
        limit=args.limit,
        order="name",
    )
    return PartnerList(
        partners=[
            Partner(
                id=r["id"],
                name=r["name"] or "",
                email=_text(r["email"]),
                phone=_text(r["phone"]),
                vat=_text(r["vat"]),
                is_company=bool(r["is_company"]),
                is_customer=r["customer_rank"] > 0,
                is_vendor=r["supplier_rank"] > 0,
            )
            for r in rows
        ]
    )


def find_products(client: OdooClient, args: FindProductsArgs) -> ProductList:
    """Find products and services to invoice, with price, default taxes and unit."""
    domain: list[Any] = [["sale_ok", "=", True]]
    if args.query:
        domain += ["|", ["name", "ilike", args.query], ["default_code", "ilike", args.query]]
    rows = client.search_read(
        "product.product", domain, ["name", "default_code", "list_price", "taxes_id", "uom_id"], limit=args.limit
    )
    tax_ids = sorted({t for r in rows for t in r["taxes_id"]})
    taxes = {t["id"]: t["name"] for t in client.read_ids("account.tax", tax_ids, ["name"])}
    return ProductList(
        products=[
            Product(
                id=r["id"],
                name=r["name"],
                code=_text(r["default_code"]),
                price=r["list_price"],
                taxes=[taxes.get(t, str(t)) for t in r["taxes_id"]],
                unit=_m2o(r["uom_id"])[1],
            )
            for r in rows
        ]
    )


def summary(row: dict[str, Any]) -> InvoiceSummary:
    pid, pname = _m2o(row["partner_id"])
    return InvoiceSummary(
        id=row["id"],
        number=row["name"] if row["name"] not in (False, "/") else "(draft)",
        partner=pname,
        partner_id=pid,
        invoice_date=_text(row["invoice_date"]),
        due_date=_text(row["invoice_date_due"]),
        state=row["state"],
        payment_state=row["payment_state"] or "not_paid",
        total=row["amount_total"],
        amount_due=row["amount_residual"],
        reference=_text(row["ref"]),
    )


def invoice_domain(args: ListInvoicesArgs, today: date) -> list[Any]:
    domain: list[Any] = [["move_type", "=", "out_invoice" if args.kind == "customer" else "in_invoice"]]
    if args.status == "draft":
        domain.append(["state", "=", "draft"])
    elif args.status in ("unpaid", "overdue"):
        domain += [["state", "=", "posted"], ["payment_state", "in", UNPAID]]
        if args.status == "overdue":
            domain.append(["invoice_date_due", "<", today.isoformat()])
    elif args.status == "paid":
        domain += [["state", "=", "posted"], ["payment_state", "=", "paid"]]
    else:
        domain.append(["state", "!=", "cancel"])
    if args.partner_id:
        domain.append(["partner_id", "=", args.partner_id])
    if args.date_from:
        domain.append(["invoice_date", ">=", args.date_from.isoformat()])
    if args.date_to:
        domain.append(["invoice_date", "<=", args.date_to.isoformat()])
    return domain


def list_invoices(client: OdooClient, args: ListInvoicesArgs) -> InvoiceList:
    """List customer invoices or vendor bills (draft, unpaid, overdue, paid or all), with totals."""
    domain = invoice_domain(args, date.today())
    order = "invoice_date_due asc, id" if args.status in ("unpaid", "overdue") else "invoice_date desc, id desc"
    rows = client.search_read("account.move", domain, MOVE_FIELDS, limit=args.limit, order=order)
    totals = client.group("account.move", domain, [], ["amount_total:sum", "amount_residual:sum"])
    first = totals[0] if totals else {}
    return InvoiceList(
        invoices=[summary(r) for r in rows],
        count=int(first.get("__count", 0)),
        total=round(first.get("amount_total:sum", 0.0) or 0.0, 2),
        amount_due=round(first.get("amount_residual:sum", 0.0) or 0.0, 2),
        currency=company(client)["currency"],
    )


def get_invoice(client: OdooClient, args: GetInvoiceArgs) -> InvoiceDetail:
    """One invoice or bill with its lines and the payments made on it."""
    client.status()  # the fields to read depend on the version
    extra = ["invoice_payments_widget", *(["matched_payment_ids"] if client.version >= (18, 0) else [])]
    rows = client.read_ids(
        "account.move", [args.invoice_id], [*MOVE_FIELDS, "amount_untaxed", "amount_tax", "invoice_line_ids", *extra]
    )
    if not rows or rows[0]["move_type"] == "entry":
        raise NotFound(f"There is no invoice or bill with id {args.invoice_id}.")
    row = rows[0]
    lines = client.read_ids(
        "account.move.line",
        row["invoice_line_ids"],
        ["name", "product_id", "quantity", "price_unit", "tax_ids", "price_subtotal", "price_total", "display_type"],
    )
    payments = invoice_payments(client, row)
    return InvoiceDetail(
        invoice=summary(row),
        kind=row["move_type"],
        untaxed=row["amount_untaxed"],
        tax=row["amount_tax"],
        lines=[
            InvoiceLine(
                description=_text(ln["name"]),
                product=_m2o(ln["product_id"])[1],
                quantity=ln["quantity"],
                unit_price=ln["price_unit"],
                taxes=ln["tax_ids"],
                subtotal=ln["price_subtotal"],
                total=ln["price_total"],
            )
            for ln in lines
            if ln["display_type"] in ("product", False)
        ],
        payments=payments,
        currency=company(client)["currency"],
    )


def widget_entries(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):  # a JSON text on servers that declare the widget as text
        try:
            value = json.loads(value)
        except ValueError:
            return []
    content = value.get("content") if isinstance(value, dict) else None
    return [e for e in content or [] if isinstance(e, dict)]


def invoice_payments(client: OdooClient, move: dict[str, Any]) -> list[Payment]:
    """The payments of one invoice as Odoo's invoice form finds them: the reconciled entries of
    `invoice_payments_widget`, plus (18+) `matched_payment_ids`, payments matched but not yet reconciled
    (`in_payment`). Never a search on `account.payment.reconciled_invoice_ids`: it is not stored."""
    entries = widget_entries(move.get("invoice_payments_widget"))
    ids = [int(e["account_payment_id"]) for e in entries if e.get("account_payment_id")]
    ids += [i for i in move.get("matched_payment_ids") or [] if i not in ids]
    memo = "memo" if client.version >= (18, 0) else "ref"
    rows = {r["id"]: r for r in client.read_ids("account.payment", ids, ["name", "date", "amount", "state", memo])}
    out = [
        Payment(
            id=r["id"],
            number=_text(r["name"]),
            date=_text(r["date"]),
            amount=r["amount"],
            state=r["state"],
            memo=_text(r.get(memo)),
        )
        for r in (rows.get(i) for i in ids)
        if r is not None
    ]
    for e in entries:  # reconciled with something else than a payment, e.g. a credit note
        if not e.get("account_payment_id"):
            out.append(
                Payment(
                    id=int(e.get("move_id") or 0),
                    number=_text(e.get("name")),
                    date=_text(e.get("date")),
                    amount=float(e.get("amount") or 0.0),
                    state="reconciled",
                    memo=_text(e.get("ref")),
                )
            )
    return sorted(out, key=lambda p: (p.date or "", p.id))


def search_records(client: OdooClient, args: SearchRecordsArgs) -> RecordList:
    """Generic read of a business model with an Odoo domain, named fields, paging and order."""
    domain = args.domain if isinstance(args.domain, list) else []  # a string was parsed by the model already
    rows = client.search_read(args.model, domain, args.fields, limit=args.limit, offset=args.offset, order=args.order)
    total = client.count(args.model, domain) if len(rows) == args.limit or args.offset else len(rows)
    return RecordList(model=args.model, records=rows, count=total)
