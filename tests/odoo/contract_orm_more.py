"""More of the ORM and accounting edge cases for the contract recording: a credit note, what a posted
entry refuses, back to draft and cancel, grouping by partner and month, ordering over NULL dates,
name search with a domain and on a product's code, and counting with a limit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.odoo.contract_scenario import Run

M = "account.move"


def more_edges(run: Run) -> None:
    cust, version = run.ids["customer"], run.client.version[0]
    line = {"name": "Refund of work", "quantity": 1, "price_unit": 40.0, "tax_ids": []}
    made = run.raw(
        "credit note",
        M,
        "create",
        vals_list=[{"move_type": "out_refund", "partner_id": cust, "invoice_line_ids": [[0, 0, line]]}],
    )
    refund = made[0] if isinstance(made, list) and made else 0
    run.raw("post credit note", M, "action_post", [refund])
    fields = ["name", "state", "move_type", "amount_total", "amount_total_signed", "amount_residual", "payment_state"]
    run.raw("read credit note", M, "read", [refund], fields=fields)
    line_ids = run.raw("credit note lines", M, "read", [refund], fields=["invoice_line_ids"])
    first = (
        line_ids[0]["invoice_line_ids"][0]
        if isinstance(line_ids, list) and line_ids and line_ids[0]["invoice_line_ids"]
        else 0
    )
    run.raw("edit a posted line", "account.move.line", "write", [first], vals={"price_unit": 1.0})
    run.raw("delete a posted entry", M, "unlink", [refund])
    run.raw("back to draft", M, "button_draft", [refund])
    run.raw("read after draft", M, "read", [refund], fields=fields)
    run.raw("cancel", M, "button_cancel", [refund])
    run.raw("read after cancel", M, "read", [refund], fields=fields)
    _grouping(run, version)
    _searching(run, version)
    _terms(run)


def _terms(run: Run) -> None:
    """Every payment term of a fresh database and the due date it gives a draft dated 10 days ago (with an
    amount: without one, real Odoo has no term lines and answers today)."""
    terms = run.raw("payment terms", "account.payment.term", "search_read", domain=[], fields=["name"], order="id")
    day = (date.today() - timedelta(days=10)).isoformat()
    for term in terms or []:
        vals = {
            "move_type": "out_invoice",
            "partner_id": run.ids["customer"],
            "invoice_date": day,
            "invoice_payment_term_id": term["id"],
            "invoice_line_ids": [[0, 0, {"name": "Termed work", "quantity": 1, "price_unit": 100.0, "tax_ids": []}]],
        }
        made = run.raw(f"term {term['name']}", M, "create", vals_list=[vals])
        if isinstance(made, list) and made:
            run.raw(f"due date {term['name']}", M, "read", made, fields=["invoice_date_due"])


def _grouping(run: Run, version: int) -> None:
    posted = [["state", "=", "posted"], ["move_type", "in", ["out_invoice", "out_refund"]]]
    if version >= 19:
        run.raw(
            "group by partner and month",
            M,
            "formatted_read_group",
            domain=posted,
            groupby=["partner_id", "invoice_date:month"],
            aggregates=["amount_total:sum", "__count"],
        )
    run.raw(
        "read_group by partner and month",
        M,
        "read_group",
        domain=posted,
        fields=["amount_total:sum"],
        groupby=["partner_id", "invoice_date:month"],
        lazy=False,
    )
    run.raw("read_group lazy", M, "read_group", domain=posted, fields=["amount_total:sum"], groupby=["partner_id"])


def _searching(run: Run, version: int) -> None:
    order: list[tuple[str, str]] = [
        ("invoice_date desc, id", "dates desc"),
        ("invoice_date, id", "dates asc"),
        ("partner_id desc, id", "partner desc"),
    ]
    for spec, label in order:
        run.raw(
            f"order {label}",
            M,
            "search_read",
            domain=[["move_type", "!=", "entry"]],
            fields=["invoice_date"],
            order=spec,
        )
    key = "domain" if version >= 19 else "args"  # 17 and 18 name it args
    extra: dict[str, Any] = {key: [["is_company", "=", True]]}
    run.raw("name_search with a domain", "res.partner", "name_search", name="Contract", limit=10, **extra)
    run.raw("product with a code", "product.product", "create", vals_list=[{"name": "Coded", "default_code": "CODE-7"}])
    run.raw("name_search a code", "product.product", "name_search", name="CODE-7", limit=5)
    run.raw(
        "read a coded product",
        "product.product",
        "search_read",
        domain=[["default_code", "=", "CODE-7"]],
        fields=["display_name"],
    )
    run.raw("count with a limit", "res.partner", "search_count", domain=[["name", "=like", "Contract%"]], limit=2)
    run.raw(
        "search_read no fields",
        "res.currency",
        "search_read",
        domain=[["name", "=", "USD"]],
        fields=["name", "symbol", "decimal_places", "rounding"],
    )
