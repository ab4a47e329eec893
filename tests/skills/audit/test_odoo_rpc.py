"""The Odoo source over the real Odoo client and emulator: figures equal a plain record-by-record
computation, in a constant number of RPCs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("mcp_servers.odoo.client")

from mcp_servers.odoo.client import Connection, OdooClient
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
        ["move_type", "invoice_date", "invoice_date_due", "amount_untaxed_signed", "amount_residual_signed"],
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
    unpaid = [m for m in sales if m["move_type"] == "out_invoice" and m["amount_residual_signed"] > 0]
    assert receivables.open_amount == pytest.approx(sum(m["amount_residual_signed"] for m in unpaid))
    assert receivables.open_count == len(unpaid)
    late = [m for m in unpaid if m["invoice_date_due"] < str(TODAY)]
    assert receivables.overdue_amount == pytest.approx(sum(m["amount_residual_signed"] for m in late))
    assert sum(n for _, _, n in receivables.buckets) == len(late)
