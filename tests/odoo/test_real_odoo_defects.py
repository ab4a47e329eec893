"""Defects found on real Odoo 17.0 and 19.0 (issue 12): each test states what real Odoo does, so the
emulator answers the same way and the client copes with it."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta
from typing import Any

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import Ambiguous, Conflict, Unavailable
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools, tools_payment, tools_reports, tools_write
from mcp_servers.odoo.client import OdooClient, parse_version
from mcp_servers.odoo.models import (
    CreateInvoiceArgs,
    CreatePartnerArgs,
    GetInvoiceArgs,
    PostInvoiceArgs,
    ReceivablesAgingArgs,
    RegisterPaymentArgs,
    RevenueSummaryArgs,
)
from mcp_servers.odoo.sandbox import write_faults
from tests.odoo.conftest import Raw, client_for


def _ctx(tmp_path: object, rid: str = "20261126-010000-odoo-abc123") -> CallContext:
    return CallContext(rid, f"{rid}#0", None, None, Vault(str(tmp_path)))  # type: ignore[arg-type]


def _posted_invoice(client: OdooClient, tmp_path: object, rid: str, vendor: bool = False) -> int:
    args = CreateInvoiceArgs(
        partner_id=4,
        kind="vendor" if vendor else "customer",
        invoice_date=date.today() if vendor else None,
        lines=[{"description": "Work", "quantity": 1, "unit_price": 977.5}],
    )
    created = tools_write.create_invoice(client, args, _ctx(tmp_path, rid))
    tools_write.post_invoice(client, PostInvoiceArgs(invoice_id=created["invoice_id"]), _ctx(tmp_path, rid))
    return int(created["invoice_id"])


# --- 1. create over XML-RPC takes its records positionally ----------------------------------------------
def test_keyword_only_create_is_refused_and_rolled_back_as_odoo_does(odoo: Raw) -> None:
    before = odoo.call("res.partner", "search_count", [[]])
    fault = odoo.fault("res.partner", "create", [], {"vals_list": [{"name": "Keyword Only"}]})
    assert fault.faultCode == 1
    container = "list" if odoo.version >= 19 else "tuple"  # as real 17.0, 18.0 and 19.0 answered
    assert fault.faultString.strip().splitlines()[-1] == f"IndexError: {container} index out of range"
    assert odoo.call("res.partner", "search_count", [[]]) == before  # rolled back
    assert odoo.call("res.partner", "create", [[{"name": "Positional"}]]) != []
    assert isinstance(odoo.call("res.partner", "create", [{"name": "One dict"}]), int)


@pytest.mark.parametrize("protocol", ["xmlrpc", "auto"])
def test_every_create_tool_works_over_each_protocol(odoo: Raw, protocol: str, tmp_path: object) -> None:
    client = client_for(odoo, protocol)
    created = tools_write.create_partner(client, CreatePartnerArgs(name="Brightline Dental"), _ctx(tmp_path))
    assert client.read_ids("res.partner", [created["partner_id"]], ["name"])[0]["name"] == "Brightline Dental"
    invoice_id = _posted_invoice(client, tmp_path, "20261126-010000-odoo-inv001")
    paid = tools_payment.register_payment(
        client, RegisterPaymentArgs(invoice_id=invoice_id, amount=100.0), _ctx(tmp_path, "20261126-010000-odoo-pay001")
    )
    assert paid["payment_state"] == "partial" and paid["amount_due"] == pytest.approx(877.5)


# --- 2. every version_info shape, and an Odoo Online server ---------------------------------------------
@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ([17, 0, 0, "final", 0, ""], (17, 0)),
        (["saas~19", 4, 0, "final", 0, ""], (19, 4)),
        (["saas~18.4", 0, 0, "final", 0, ""], (18, 4)),
        ("saas~19.4+e", (19, 4)),
        ("17.0+e", (17, 0)),
        ([], (0, 0)),
        (["weird"], (0, 0)),
    ],
)
def test_version_info_shapes(info: Any, expected: tuple[int, int]) -> None:
    assert parse_version(info) == expected


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_odoo_online_works(saas_odoo: Raw, protocol: str, tmp_path: object) -> None:
    assert saas_odoo.common.version()["server_version_info"][:2] == ["saas~19", 4]
    client = client_for(
        saas_odoo, protocol, secret=None if protocol == "json2" else "admin", api_key=protocol == "json2"
    )
    assert tools.get_status(client, tools.GetStatusArgs()).version == "19.4"
    created = tools_write.create_partner(client, CreatePartnerArgs(name="Online Co"), _ctx(tmp_path))
    assert created["partner_id"] > 0


# --- 3. an invoice's payments are the invoice's own -------------------------------------------------------
def test_get_invoice_lists_only_its_own_payments(client: OdooClient, tmp_path: object) -> None:
    first = _posted_invoice(client, tmp_path, "20261126-010000-odoo-inv001")
    second = _posted_invoice(client, tmp_path, "20261126-010000-odoo-inv002", vendor=True)
    for invoice_id, rid in ((first, "pay001"), (second, "pay002")):
        tools_payment.register_payment(
            client,
            RegisterPaymentArgs(invoice_id=invoice_id, amount=50.0),
            _ctx(tmp_path, f"20261126-010000-odoo-{rid}"),
        )
    for invoice_id, rid in ((first, "pay001"), (second, "pay002")):
        payments = tools.get_invoice(client, GetInvoiceArgs(invoice_id=invoice_id)).payments
        assert [p.amount for p in payments] == [50.0]
        assert payments[0].memo is not None and rid in payments[0].memo


def test_get_invoice_never_searches_a_computed_field(client: OdooClient, tmp_path: object) -> None:
    domains: list[Any] = []
    real = client.search_read

    def spy(model: str, domain: list[Any], fields: list[str], **kw: Any) -> list[dict[str, Any]]:
        domains.append(domain)
        return real(model, domain, fields, **kw)

    client.search_read = spy  # type: ignore[method-assign]
    tools.get_invoice(client, GetInvoiceArgs(invoice_id=_posted_invoice(client, tmp_path, "20261126-010000-odoo-i1")))
    assert "reconciled_" not in repr(domains)


def test_in_payment_invoice_shows_its_waiting_payment(saas_odoo: Raw, tmp_path: object) -> None:
    client = client_for(saas_odoo)
    invoice_id = _posted_invoice(client, tmp_path, "20261126-010000-odoo-inv001")
    tools_payment.register_payment(client, RegisterPaymentArgs(invoice_id=invoice_id), _ctx(tmp_path))
    detail = tools.get_invoice(client, GetInvoiceArgs(invoice_id=invoice_id))
    assert detail.invoice.payment_state == "in_payment" and detail.invoice.amount_due == pytest.approx(977.5)
    assert [p.amount for p in detail.payments] == [977.5]


# --- 4. a crashed payment settles on every version --------------------------------------------------------
def test_resolve_payment_from_a_fresh_process(odoo: Raw, tmp_path: object) -> None:
    invoice_id = _posted_invoice(client_for(odoo), tmp_path, "20261126-010000-odoo-inv001")
    args = RegisterPaymentArgs(invoice_id=invoice_id, amount=10.0)
    tools_payment.register_payment(client_for(odoo), args, _ctx(tmp_path))
    fresh = client_for(odoo)  # not connected yet, as after a crash
    assert tools_payment.resolve_payment(fresh, args, _ctx(tmp_path)).applied is True


# --- 5. in_payment / blocked: never paid twice --------------------------------------------------------------
def test_an_invoice_in_payment_cannot_be_paid_again(saas_odoo: Raw, tmp_path: object) -> None:
    client = client_for(saas_odoo)
    invoice_id = _posted_invoice(client, tmp_path, "20261126-010000-odoo-inv001")
    tools_payment.register_payment(client, RegisterPaymentArgs(invoice_id=invoice_id), _ctx(tmp_path))
    with pytest.raises(Conflict, match="pay twice"):
        tools_payment.preview_payment(client, RegisterPaymentArgs(invoice_id=invoice_id))
    with pytest.raises(Conflict, match="pay twice"):
        tools_payment.register_payment(client, RegisterPaymentArgs(invoice_id=invoice_id), _ctx(tmp_path, "r-2"))


def test_a_blocked_bill_is_not_paid(odoo19: Raw, tmp_path: object) -> None:
    client = client_for(odoo19)
    bill = _posted_invoice(client, tmp_path, "20261126-010000-odoo-bil001", vendor=True)
    with odoo19.emulator.state.transaction() as data:  # the owner blocked it in Odoo
        data["models"]["account.move"][str(bill)]["payment_state"] = "blocked"
    with pytest.raises(Conflict, match="blocked"):
        tools_payment.preview_payment(client, RegisterPaymentArgs(invoice_id=bill))


# --- 8. a vendor bill without bill date --------------------------------------------------------------------
def test_vendor_bill_without_bill_date_is_caught_in_the_preview(client: OdooClient, tmp_path: object) -> None:
    args = CreateInvoiceArgs(
        partner_id=4, kind="vendor", lines=[{"description": "Paper", "quantity": 1, "unit_price": 9}]
    )
    assert any("bill date" in w for w in tools_write.preview_invoice(client, args).warnings)
    created = tools_write.create_invoice(client, args, _ctx(tmp_path))
    with pytest.raises(Conflict, match="no bill date"):
        tools_write.preview_post(client, PostInvoiceArgs(invoice_id=created["invoice_id"]))


# --- 12. a draft's number, and amounts in company currency -----------------------------------------------
def test_a_draft_has_no_number_on_every_version(client: OdooClient, tmp_path: object) -> None:
    args = CreateInvoiceArgs(partner_id=4, lines=[{"description": "Work", "quantity": 1, "unit_price": 5}])
    created = tools_write.create_invoice(client, args, _ctx(tmp_path))
    assert created["number"] is None
    assert tools.get_invoice(client, GetInvoiceArgs(invoice_id=created["invoice_id"])).invoice.number == "(draft)"


def test_foreign_currency_amounts_are_compared_in_company_currency(odoo: Raw, tmp_path: object) -> None:
    with odoo.emulator.state.transaction() as data:  # EUR at 0.5 per company unit: 977.50 EUR = 1955.00
        data["models"]["res.currency"]["2"].update(active=True, rate=0.5)
    move = odoo.call(
        "account.move",
        "create",
        [
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": 4,
                    "currency_id": 2,
                    "invoice_line_ids": [[0, 0, {"name": "Work", "quantity": 1, "price_unit": 977.5, "tax_ids": []}]],
                }
            ]
        ],
    )[0]
    client = client_for(odoo)
    preview = tools_write.preview_post(client, PostInvoiceArgs(invoice_id=move))
    assert float(preview.amount or 0) == pytest.approx(1955.0)
    odoo.call("account.move", "action_post", [[move]])
    pay = tools_payment.preview_payment(client, RegisterPaymentArgs(invoice_id=move, amount=40.0))
    assert float(pay.amount or 0) == pytest.approx(80.0) and float(pay.amount_due or 0) == pytest.approx(1955.0)


# --- 9. weeks are ISO weeks ----------------------------------------------------------------------------
def test_weekly_revenue_uses_monday_weeks_although_odoo_groups_sunday_weeks(empty_odoo: Raw) -> None:
    sunday, monday = date(2026, 11, 22), date(2026, 11, 23)  # a Sunday and the Monday after it
    for day, price in ((sunday, 100.0), (monday, 10.0)):
        move = empty_odoo.call(
            "account.move",
            "create",
            [
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": _any_partner(empty_odoo),
                        "invoice_date": day.isoformat(),
                        "invoice_line_ids": [[0, 0, {"name": "x", "quantity": 1, "price_unit": price, "tax_ids": []}]],
                    }
                ]
            ],
        )[0]
        empty_odoo.call("account.move", "action_post", [[move]])
    spec = ["invoice_date:week"]
    if empty_odoo.version >= 19:
        raw = empty_odoo.call("account.move", "formatted_read_group", [[], spec, ["__count"]])
        starts = sorted(r["invoice_date:week"][0] for r in raw)
    else:
        raw = empty_odoo.call("account.move", "read_group", [[], [], spec], {"lazy": False})
        starts = sorted(r["__range"]["invoice_date:week"]["from"] for r in raw)
    assert starts == ["2026-11-22"]  # en_US: Sunday 22 to Saturday 28, one group
    summary = tools_reports.revenue_summary(
        client_for(empty_odoo), RevenueSummaryArgs(date_from=sunday, date_to=monday, granularity="week")
    )
    assert [(p.period_start, p.invoiced) for p in summary.periods] == [("2026-11-16", 100.0), ("2026-11-23", 10.0)]


def _any_partner(raw: Raw) -> int:
    found = raw.call("res.partner", "search", [[]], {"limit": 1})
    return int(found[0]) if found else int(raw.call("res.partner", "create", [{"name": "Customer"}]))


# --- 10. receivables on a past day ---------------------------------------------------------------------
def test_receivables_aging_on_a_past_day_counts_later_payments_as_not_made(empty_odoo: Raw, tmp_path: object) -> None:
    today = date.today()
    client = client_for(empty_odoo)
    partner = _any_partner(empty_odoo)
    move = empty_odoo.call(
        "account.move",
        "create",
        [
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner,
                    "invoice_date": str(today - timedelta(days=10)),
                    "invoice_date_due": str(today - timedelta(days=10)),
                    "invoice_line_ids": [[0, 0, {"name": "x", "quantity": 1, "price_unit": 977.5, "tax_ids": []}]],
                }
            ]
        ],
    )[0]
    empty_odoo.call("account.move", "action_post", [[move]])
    for amount, day in ((77.5, today - timedelta(days=5)), (900.0, today)):
        pay = RegisterPaymentArgs(invoice_id=move, amount=amount, payment_date=day)
        tools_payment.register_payment(client, pay, _ctx(tmp_path, f"20261126-010000-odoo-p{int(amount):05d}"))

    def total(days_ago: int) -> float:
        args = ReceivablesAgingArgs(as_of=today - timedelta(days=days_ago))
        return tools_reports.receivables_aging(client, args).totals.total

    assert (total(7), total(1), total(0)) == (977.5, 900.0, 0.0)
    assert "in payment" in (tools_reports.receivables_aging.__doc__ or "")


# --- 11. a hung Odoo ends a write within the write budget ------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "error"),
    [
        ({"kind": "latency", "seconds": 8.0}, Unavailable),  # hung from the first read: nothing was sent
        ({"kind": "latency", "seconds": 8.0, "method": "action_create_payments"}, Ambiguous),  # hung on the change
    ],
    ids=["hung-before", "hung-on-the-change"],
)
def test_a_hung_odoo_ends_a_write_within_the_budget(odoo19: Raw, tmp_path: object, rule: dict, error: type) -> None:
    invoice_id = _posted_invoice(client_for(odoo19), tmp_path, "20261126-010000-odoo-inv001")
    client = client_for(odoo19, timeout=30.0)
    client.conn = dataclasses.replace(client.conn, write_budget=1.5)
    client.status()
    write_faults(odoo19.emulator.state.path, [rule])
    started = time.monotonic()
    with pytest.raises(error):
        tools_payment.REGISTER_PAYMENT.execute(client, RegisterPaymentArgs(invoice_id=invoice_id), _ctx(tmp_path))
    assert time.monotonic() - started < 2.5  # the budget, not 30 s per request and three tries per read
