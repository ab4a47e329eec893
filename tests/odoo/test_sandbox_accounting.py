"""Emulator fidelity for accounting: totals from lines, posting and sequence names, the payment
wizard, and Odoo's UserErrors (reference odoo_api.md §7)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.odoo.conftest import Raw

TOTALS = [
    "name",
    "state",
    "payment_state",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_total_signed",
    "invoice_date_due",
    "journal_id",
]


def _invoice(raw: Raw, move_type: str = "out_invoice", **extra: object) -> int:
    product = raw.call(
        "product.product", "create", [{"name": "Widget", "list_price": 147.0, "taxes_id": [[6, 0, [1]]], "uom_id": 1}]
    )
    return raw.call(
        "account.move",
        "create",
        [
            {
                "move_type": move_type,
                "partner_id": 3,
                "invoice_date": "2026-11-25",
                **extra,
                "invoice_line_ids": [
                    [
                        0,
                        0,
                        {
                            "product_id": product,
                            "name": "Consulting",
                            "quantity": 2,
                            "price_unit": 100.0,
                            "tax_ids": [[6, 0, [1]]],
                        },
                    ],
                    [0, 0, {"name": "Free text line", "quantity": 1, "price_unit": 50.0}],
                ],
            }
        ],
    )


def test_draft_invoice_totals(empty_odoo: Raw) -> None:
    move = _invoice(empty_odoo)
    row = empty_odoo.call("account.move", "read", [[move], TOTALS])[0]
    # real 17.0 numbers a draft that has its invoice date at once; 18.0/19.0 read a draft's number as false
    assert row["name"] == ("INV/2026/00001" if empty_odoo.version < 18 else False)
    assert row["state"] == "draft" and row["payment_state"] == "not_paid"
    assert (row["amount_untaxed"], row["amount_tax"], row["amount_total"], row["amount_residual"]) == (
        250.0,
        30.0,
        280.0,
        280.0,
    )
    assert row["journal_id"] == [
        1,
        "Sales" if empty_odoo.version >= 19 else "Customer Invoices",
    ]  # as real Odoo names it
    assert row["invoice_date_due"] == "2026-11-25"  # no payment term: due = invoice date


def test_product_line_defaults(empty_odoo: Raw) -> None:
    product = empty_odoo.call(
        "product.product", "create", [{"name": "Widget", "list_price": 147.0, "taxes_id": [[6, 0, [1]]], "uom_id": 1}]
    )
    move = empty_odoo.call(
        "account.move",
        "create",
        [
            {
                "move_type": "out_invoice",
                "partner_id": 3,
                "invoice_line_ids": [[0, 0, {"product_id": product, "quantity": 1}]],
            }
        ],
    )
    line_id = empty_odoo.call("account.move", "read", [[move], ["invoice_line_ids"]])[0]["invoice_line_ids"][0]
    line = empty_odoo.call(
        "account.move.line", "read", [[line_id], ["name", "price_unit", "tax_ids", "account_id", "display_type"]]
    )[0]
    assert line["name"] == "Widget" and line["price_unit"] == 147.0 and line["tax_ids"] == [1]
    assert line["account_id"] == [3, "400000 Product Sales"] and line["display_type"] == "product"


def test_post_names_and_payment_flow(empty_odoo: Raw) -> None:
    move = _invoice(empty_odoo)
    assert empty_odoo.call("account.move", "action_post", [[move]]) is False
    row = empty_odoo.call("account.move", "read", [[move], TOTALS])[0]
    assert row["name"] == "INV/2026/00001" and row["state"] == "posted"
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = empty_odoo.call(
        "account.payment.register", "create", [{"amount": 100.0, "payment_date": "2026-11-25"}], {"context": ctx}
    )
    action = empty_odoo.call("account.payment.register", "action_create_payments", [[wizard]], {"context": ctx})
    assert action["res_model"] == "account.payment" and action["type"] == "ir.actions.act_window"
    row = empty_odoo.call("account.move", "read", [[move], TOTALS])[0]
    assert row["payment_state"] == "partial" and row["amount_residual"] == 180.0
    wizard = empty_odoo.call("account.payment.register", "create", [{"amount": 180.0}], {"context": ctx})
    empty_odoo.call("account.payment.register", "action_create_payments", [[wizard]], {"context": ctx})
    row = empty_odoo.call("account.move", "read", [[move], TOTALS])[0]
    assert row["payment_state"] == "paid" and row["amount_residual"] == 0.0
    payment = empty_odoo.call(
        "account.payment",
        "search_read",
        [[["reconciled_invoice_ids", "in", [move]]]],
        {"fields": ["amount", "state", "payment_type"]},
    )
    assert [p["amount"] for p in payment] == [180.0, 100.0]
    # as recorded: on 18/19 an invoice's payments are paid once it is fully paid (in_process until then)
    assert {p["state"] for p in payment} == {"posted" if empty_odoo.version < 18 else "paid"}  # invoice fully paid
    fault = empty_odoo.fault("account.payment.register", "create", [{"amount": 1.0}], {"context": ctx})
    assert fault.faultCode == 2 and "nothing left to pay" in fault.faultString


def test_overpaying_is_accepted(empty_odoo: Raw) -> None:
    move = _invoice(empty_odoo)
    empty_odoo.call("account.move", "action_post", [[move]])
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = empty_odoo.call("account.payment.register", "create", [{"amount": 500.0}], {"context": ctx})
    empty_odoo.call("account.payment.register", "action_create_payments", [[wizard]], {"context": ctx})
    row = empty_odoo.call("account.move", "read", [[move], ["payment_state", "amount_residual"]])[0]
    assert row == {"id": move, "payment_state": "paid", "amount_residual": 0.0}


def test_vendor_bill_name_and_date_required(empty_odoo: Raw) -> None:
    bill = empty_odoo.call(
        "account.move",
        "create",
        [
            {
                "move_type": "in_invoice",
                "partner_id": 3,
                "ref": "PO-123",
                "invoice_line_ids": [[0, 0, {"name": "Paper", "price_unit": 20.0}]],
            }
        ],
    )
    fault = empty_odoo.fault("account.move", "action_post", [[bill]])
    assert fault.faultCode == 2 and "date is required" in fault.faultString
    empty_odoo.call("account.move", "write", [[bill], {"invoice_date": "2026-11-25"}])
    empty_odoo.call("account.move", "action_post", [[bill]])
    row = empty_odoo.call("account.move", "read", [[bill], ["name", "amount_total_signed"]])[0]
    assert row["name"] == "BILL/2026/11/0001" and row["amount_total_signed"] == -20.0


@pytest.mark.parametrize(
    ("setup", "method", "text"),
    [
        ("empty", "action_post", "You need to add a line before posting."),
        ("posted", "unlink", "You can't delete a posted journal item."),
        ("posted", "action_post", "must be in draft"),
        ("posted", "button_cancel", "Only draft journal entries can be cancelled."),
    ],
)
def test_user_errors(empty_odoo: Raw, setup: str, method: str, text: str) -> None:
    if setup == "empty":
        move = empty_odoo.call("account.move", "create", [{"move_type": "out_invoice", "partner_id": 3}])
    else:
        move = _invoice(empty_odoo)
        empty_odoo.call("account.move", "action_post", [[move]])
    fault = empty_odoo.fault("account.move", method, [[move]])
    assert fault.faultCode == 2 and text in fault.faultString


def test_payment_term_sets_due_date(empty_odoo: Raw) -> None:
    move = _invoice(empty_odoo, invoice_payment_term_id=4)  # "30 Days", as in a fresh real Odoo
    assert (
        empty_odoo.call("account.move", "read", [[move], ["invoice_date_due"]])[0]["invoice_date_due"] == "2026-12-25"
    )


def test_posted_moves_are_writable_over_rpc_like_real_odoo(empty_odoo: Raw) -> None:
    """Odoo does not protect posted entries over RPC (the MCP server must); the emulator is faithful."""
    move = _invoice(empty_odoo)
    empty_odoo.call("account.move", "action_post", [[move]])
    line = empty_odoo.call("account.move", "read", [[move], ["invoice_line_ids"]])[0]["invoice_line_ids"][0]
    empty_odoo.call("account.move", "write", [[move], {"invoice_line_ids": [[1, line, {"price_unit": 1.0}]]}])
    assert empty_odoo.call("account.move", "read", [[move], ["amount_total"]])[0]["amount_total"] < 280.0


def test_reset_to_draft_then_post_keeps_the_name(empty_odoo: Raw) -> None:
    move = _invoice(empty_odoo)
    empty_odoo.call("account.move", "action_post", [[move]])
    empty_odoo.fault("account.move", "button_draft", [[move]])  # None → fault 1, but committed
    assert empty_odoo.call("account.move", "read", [[move], ["state"]])[0]["state"] == "draft"
    empty_odoo.call("account.move", "action_post", [[move]])
    assert empty_odoo.call("account.move", "read", [[move], ["name"]])[0]["name"] == "INV/2026/00001"


def test_demo_company_is_believable(odoo: Raw) -> None:
    count = lambda model, domain: odoo.call(model, "search_count", [domain])  # noqa: E731
    assert 20 <= count("res.partner", [["customer_rank", ">", 0]]) <= 25
    assert 8 <= count("res.partner", [["supplier_rank", ">", 0]]) <= 10
    assert count("product.product", []) == 15
    today = date.today().isoformat()
    overdue = count(
        "account.move",
        [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
            ["payment_state", "in", ["not_paid", "partial"]],
            ["invoice_date_due", "<", today],
        ],
    )
    assert overdue >= 3
    assert count("account.payment", []) > 50
    last = odoo.call("account.move", "search_read", [[["state", "=", "posted"]]], {"fields": ["date"], "limit": 1})
    assert last[0]["date"] <= today and last[0]["date"] >= date.fromordinal(date.today().toordinal() - 30).isoformat()
    first = odoo.call(
        "account.move",
        "search_read",
        [[["state", "=", "posted"]]],
        {"fields": ["date"], "limit": 1, "order": "date asc"},
    )
    assert first[0]["date"] >= date.fromordinal(date.today().toordinal() - 190).isoformat()
