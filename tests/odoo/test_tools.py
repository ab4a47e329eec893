"""The tools as plain functions over our client and the emulator: answers a person would check,
refusals that name the field, previews without side effects, and the policy's facts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import Conflict, InvalidInput, NotFound
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools, tools_payment, tools_reports, tools_write
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import (
    CreateInvoiceArgs,
    GetInvoiceArgs,
    ListInvoicesArgs,
    PostInvoiceArgs,
    ReceivablesAgingArgs,
    RegisterPaymentArgs,
    RevenueSummaryArgs,
    SearchRecordsArgs,
)
from mcp_servers.odoo.sandbox.seed import bulk_invoices
from tests.odoo.conftest import Raw, client_for

TODAY = date.today()


def _ctx(tmp_path: object, rid: str = "20261126-010000-odoo-abc123") -> CallContext:
    return CallContext(rid, f"{rid}#0", None, None, Vault(str(tmp_path)))  # type: ignore[arg-type]


def _all(client: OdooClient, model: str, domain: list, fields: list[str]) -> list[dict]:
    return client.search_read(model, domain, fields)


def test_list_invoices_overdue_matches_a_direct_read(client: OdooClient) -> None:
    result = tools.list_invoices(client, ListInvoicesArgs(status="overdue", limit=5))
    rows = _all(
        client,
        "account.move",
        [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
            ["payment_state", "in", ["not_paid", "partial"]],
            ["invoice_date_due", "<", TODAY.isoformat()],
        ],
        ["amount_residual"],
    )
    assert result.count == len(rows) and len(result.invoices) == 5
    assert result.amount_due == round(sum(r["amount_residual"] for r in rows), 2)
    assert all(i.due_date < TODAY.isoformat() and i.amount_due > 0 for i in result.invoices)


def test_get_invoice_has_lines_and_payments(client: OdooClient) -> None:
    paid = tools.list_invoices(client, ListInvoicesArgs(status="paid", limit=1)).invoices[0]
    detail = tools.get_invoice(client, GetInvoiceArgs(invoice_id=paid.id))
    assert detail.lines and round(sum(ln.total for ln in detail.lines), 2) == detail.invoice.total
    assert detail.payments and round(sum(p.amount for p in detail.payments), 2) >= detail.invoice.total
    with pytest.raises(NotFound):
        tools.get_invoice(client, GetInvoiceArgs(invoice_id=999999))


def test_revenue_summary_is_net_of_refunds(client: OdooClient) -> None:
    start = TODAY - timedelta(days=200)
    result = tools_reports.revenue_summary(client, RevenueSummaryArgs(date_from=start, date_to=TODAY))
    rows = _all(
        client,
        "account.move",
        [["move_type", "in", ["out_invoice", "out_refund"]], ["state", "=", "posted"]],
        ["amount_untaxed_signed", "move_type"],
    )
    assert result.net == round(sum(r["amount_untaxed_signed"] for r in rows), 2)
    assert result.refunded > 0 and result.net == round(result.invoiced - result.refunded, 2)
    assert [p.period_start for p in result.periods] == sorted(p.period_start for p in result.periods)


def test_receivables_aging_adds_up_to_what_is_due(client: OdooClient) -> None:
    result = tools_reports.receivables_aging(client, ReceivablesAgingArgs())
    rows = _all(
        client,
        "account.move",
        [
            ["move_type", "in", ["out_invoice", "out_refund"]],
            ["state", "=", "posted"],
            ["payment_state", "in", ["not_paid", "partial", "in_payment"]],
        ],
        ["amount_residual_signed"],
    )
    assert result.totals.total == round(sum(r["amount_residual_signed"] for r in rows), 2)
    assert result.totals.days_90_plus > 0 and result.totals.current > 0


def test_report_rpcs_do_not_grow_with_data(pool: object) -> None:
    raw: Raw = pool.get(19)  # type: ignore[attr-defined]
    counts = []
    for extra in (0, 1500):
        if extra:
            with raw.emulator.state.transaction() as data:
                bulk_invoices(data, 19, extra)
        client = client_for(raw)
        client.status()
        before = client.rpc_count
        tools_reports.revenue_summary(client, RevenueSummaryArgs(date_from=TODAY - timedelta(days=200), date_to=TODAY))
        tools_reports.receivables_aging(client, ReceivablesAgingArgs())
        counts.append(client.rpc_count - before)
    assert counts[0] == counts[1] <= 7


class TestSearchRecords:
    def test_reads_with_a_json_domain(self, client: OdooClient) -> None:
        result = tools.search_records(
            client, SearchRecordsArgs(model="res.partner", fields=["name"], domain='[["name", "ilike", "acme"]]')
        )
        assert [r["name"] for r in result.records] == ["Acme Corporation"] and result.count == 1

    @pytest.mark.parametrize(
        ("args", "field"),
        [
            ({"model": "res.users.apikeys", "fields": ["name"]}, "model"),
            ({"model": "ir.config_parameter", "fields": ["value"]}, "model"),
            ({"model": "res.partner", "fields": ["name"], "domain": "name = acme"}, "domain"),
            ({"model": "res.partner", "fields": ["name"], "domain": '[["name", "bogus", 1]]'}, "domain"),
            ({"model": "res.partner", "fields": ["name"], "domain": '["|", ["name", "=", 1]]'}, "domain"),
            ({"model": "res.partner", "fields": ["name"], "domain": '{"name": "acme"}'}, "domain"),
            ({"model": "res.partner", "fields": []}, "fields"),
        ],
    )
    def test_refuses_instead_of_matching_everything(self, args: dict, field: str) -> None:
        with pytest.raises(ValidationError) as info:
            SearchRecordsArgs(**args)
        assert info.value.errors()[0]["loc"][0] == field

    def test_unknown_field_is_a_clear_error(self, client: OdooClient) -> None:
        with pytest.raises(InvalidInput, match="nofield"):
            tools.search_records(client, SearchRecordsArgs(model="res.partner", fields=["nofield"]))


class TestCreateInvoiceInput:
    @pytest.mark.parametrize(
        "lines",
        [
            [{"description": "x", "quantity": -1, "unit_price": 10.0}],
            [{"description": "x", "quantity": 1, "unit_price": "10"}],
            [{"description": "x", "quantity": "2", "unit_price": 10.0}],
            [{"quantity": 1}],
            [{"description": "x", "unit_price": 1.0}] * 10_000,
            [],
        ],
        ids=["negative-quantity", "amount-as-string", "quantity-as-string", "no-text", "10000-lines", "no-lines"],
    )
    def test_bad_lines_are_refused(self, lines: list) -> None:
        with pytest.raises(ValidationError):
            CreateInvoiceArgs(partner_id=4, lines=lines)

    def test_unknown_partner_and_product(self, client: OdooClient) -> None:
        with pytest.raises(InvalidInput, match="partner_id"):
            tools_write.preview_invoice(client, CreateInvoiceArgs(partner_id=99999, lines=[{"product_id": 1}]))
        with pytest.raises(InvalidInput, match="product"):
            tools_write.preview_invoice(client, CreateInvoiceArgs(partner_id=4, lines=[{"product_id": 99999}]))


def test_preview_sends_nothing_and_gives_the_policy_its_facts(client: OdooClient) -> None:
    before = client.count("account.move", [])
    args = CreateInvoiceArgs(partner_id=4, lines=[{"product_id": 1, "quantity": 2}])
    preview = tools_write.preview_invoice(client, args)
    assert client.count("account.move", []) == before
    assert preview.amount == Decimal("345.00") and preview.currency == "USD"  # 2 × 150 + 15 %
    assert preview.partner_known is True and preview.action_type == "invoice"
    new = client.call("res.partner", "create", vals_list=[{"name": "Brand New Co"}])[0]
    fresh = tools_write.preview_invoice(client, CreateInvoiceArgs(partner_id=new, lines=[{"product_id": 1}]))
    assert fresh.partner_known is False and fresh.recurring is False


def test_recurring_means_a_matching_past_invoice(client: OdooClient) -> None:
    past = client.search_read(
        "account.move",
        [["move_type", "=", "in_invoice"], ["state", "=", "posted"]],
        ["partner_id", "amount_untaxed", "amount_total"],
        limit=1,
    )[0]
    args = CreateInvoiceArgs(
        kind="vendor",
        partner_id=past["partner_id"][0],
        lines=[{"description": "Same again", "unit_price": past["amount_untaxed"], "tax_ids": [2]}],
    )
    preview = tools_write.preview_invoice(client, args)
    assert float(preview.amount) == pytest.approx(past["amount_total"], abs=0.02)
    assert preview.recurring is True and preview.action_type == "vendor_bill"


def test_full_write_path_and_posted_entries_stay_untouched(client: OdooClient, tmp_path: object) -> None:
    ctx = _ctx(tmp_path)
    args = CreateInvoiceArgs(partner_id=4, lines=[{"product_id": 1, "quantity": 2}], reference="PO-77")
    created = tools_write.create_invoice(client, args, ctx)
    assert created["state"] == "draft" and ctx.request_id in created["reference"]
    assert tools_write.resolve_invoice(client, args, ctx).result == created
    post = PostInvoiceArgs(invoice_id=created["invoice_id"])
    posted = tools_write.post_invoice(client, post, ctx)
    assert posted["state"] == "posted" and posted["number"].startswith("INV/")
    with pytest.raises(Conflict, match="never changed"):
        tools_write.preview_post(client, post)
    pay = RegisterPaymentArgs(invoice_id=created["invoice_id"], amount=100.0)
    assert tools_payment.register_payment(client, pay, _ctx(tmp_path, "r-2"))["payment_state"] == "partial"
    done = tools_payment.register_payment(
        client, RegisterPaymentArgs(invoice_id=created["invoice_id"]), _ctx(tmp_path, "r-3")
    )
    assert done["payment_state"] == "paid" and done["amount_due"] == 0.0
    assert tools_payment.resolve_payment(client, pay, _ctx(tmp_path, "r-2")).applied is True
    assert tools_payment.resolve_payment(client, pay, _ctx(tmp_path, "r-9")).applied is False
    with pytest.raises(Conflict, match="nothing left to pay"):
        tools_payment.preview_payment(client, RegisterPaymentArgs(invoice_id=created["invoice_id"]))


def test_paying_a_draft_is_refused(client: OdooClient) -> None:
    draft = tools.list_invoices(client, ListInvoicesArgs(status="draft")).invoices[0]
    with pytest.raises(Conflict, match="post it first"):
        tools_payment.preview_payment(client, RegisterPaymentArgs(invoice_id=draft.id))
