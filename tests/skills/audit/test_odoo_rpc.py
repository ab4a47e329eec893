"""The Odoo source over the real Odoo client and emulator: figures equal a plain record-by-record
computation, in a constant number of RPCs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("mcp_servers.odoo.client")

from mcp_servers.odoo import tools_reports
from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.models import ReceivablesAgingArgs
from mcp_servers.odoo.sandbox import OdooEmulator
from skills.audit.odoo_rpc import OdooRpcSource

TODAY = date.today()


@pytest.fixture(scope="module", params=[17, 19], ids=lambda v: f"odoo{v}")
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OdooClient]:
    emulator = OdooEmulator(Path(tmp_path_factory.mktemp("odoo")) / "odoo.json", request.param)
    server = emulator.start()
    yield OdooClient(Connection(server.url, "sandbox", "admin", "admin", protocol="xmlrpc", secret_is_api_key=False))
    emulator.stop()


def test_figures_match_the_records(client: OdooClient) -> None:
    moves = client.search_read(
        "account.move",
        [["state", "=", "posted"]],
        [
            "move_type",
            "invoice_date",
            "invoice_date_due",
            "amount_untaxed_signed",
            "amount_residual_signed",
            "payment_state",
            "partner_id",
        ],
    )
    start, end = TODAY - timedelta(days=40), TODAY
    source = OdooRpcSource(client)
    days = {r.day: r.net for r in source.revenue_by_day(start, end)}
    receivables = source.receivables(TODAY)
    assert source.rpc_count == 5
    sales = [m for m in moves if m["move_type"] in ("out_invoice", "out_refund")]
    for day in {m["invoice_date"] for m in sales if str(start) <= m["invoice_date"] <= str(end)}:
        expected = round(sum(m["amount_untaxed_signed"] for m in sales if m["invoice_date"] == day), 2)
        assert days[date.fromisoformat(day)] == pytest.approx(expected)
    # open receivables (one definition, OPEN_RECEIVABLES): invoices net of credit notes, not `in_payment`
    unpaid = [m for m in sales if m["payment_state"] in ("not_paid", "partial", "blocked")]
    assert receivables.open_amount == pytest.approx(sum(m["amount_residual_signed"] for m in unpaid))
    assert receivables.open_count == len(unpaid)
    aging = tools_reports.receivables_aging(client, ReceivablesAgingArgs(as_of=TODAY))
    assert receivables.open_amount == pytest.approx(aging.totals.total)
    late = [m for m in unpaid if m["invoice_date_due"] < str(TODAY)]
    assert receivables.overdue_amount == pytest.approx(sum(m["amount_residual_signed"] for m in late))
    assert sum(n for _, _, n in receivables.buckets) == len(late)


def test_an_invoice_in_payment_is_not_open_money_twice(tmp_path: Path) -> None:
    emulator = OdooEmulator(tmp_path / "odoo.json", 19, saas=True)  # Odoo Online: the accountant module
    server = emulator.start()
    try:
        client = OdooClient(Connection(server.url, "sandbox", "admin", emulator.api_key))
        source = OdooRpcSource(client)
        before, cash_before = source.receivables(TODAY), source.cash_received(TODAY, TODAY)
        open_invoice = client.search_read(
            "account.move",
            [["move_type", "=", "out_invoice"], ["payment_state", "=", "not_paid"], ["state", "=", "posted"]],
            ["amount_residual_signed"],
            limit=1,
        )[0]
        ctx = {"active_model": "account.move", "active_ids": [open_invoice["id"]]}
        wizard = client.call("account.payment.register", "create", vals_list=[{}], context=ctx)
        client.call("account.payment.register", "action_create_payments", [wizard[0]], context=ctx)
        state = client.read_ids("account.move", [open_invoice["id"]], ["payment_state", "amount_residual_signed"])[0]
        assert state == {
            **state,
            "payment_state": "in_payment",
            "amount_residual_signed": open_invoice["amount_residual_signed"],
        }
        after, cash_after = source.receivables(TODAY), source.cash_received(TODAY, TODAY)
        paid = open_invoice["amount_residual_signed"]
        assert cash_after.received == pytest.approx(cash_before.received + paid)
        assert after.open_amount == pytest.approx(before.open_amount - paid)  # counted once: as cash
    finally:
        emulator.stop()
