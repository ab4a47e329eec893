"""What the contract recording runs: the whole Odoo tool surface as the tests call it, then an ORM
edge-case scenario (domains, ordering, name search, defaults, the faults the tools can meet).

Each step runs under a label (`Run.step`), catches its own error, and notes whether it worked, so
one failing step never hides the rest. Expects a fresh database with Invoicing and no demo data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.actions import CallContext
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools, tools_payment, tools_reminder, tools_reports, tools_write
from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.models import (
    CreateInvoiceArgs,
    CreatePartnerArgs,
    FindPartnersArgs,
    FindProductsArgs,
    GetInvoiceArgs,
    GetStatusArgs,
    ListInvoicesArgs,
    PostInvoiceArgs,
    ReceivablesAgingArgs,
    RegisterPaymentArgs,
    RevenueSummaryArgs,
    SearchRecordsArgs,
)
from mcp_servers.odoo.tools_reminder import SendPaymentReminderArgs

MISSING_ID = 999_999


@dataclass
class Run:
    client: OdooClient
    mark: Callable[[str], None]  # sets the label of the exchanges that follow
    vault_dir: Path
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (tool, step, "works" | error)
    ids: dict[str, int] = field(default_factory=dict)

    def step(self, tool: str, label: str, fn: Callable[[], Any]) -> Any:
        self.mark(f"{tool}: {label}")
        try:
            result = fn()
        except Exception as exc:  # the table records it; the scenario goes on
            self.outcomes.append((tool, label, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"))
            return None
        self.outcomes.append((tool, label, "works"))
        return result

    def ctx(self, rid: str) -> CallContext:
        now = datetime.now(UTC)
        return CallContext(rid, f"{rid}#0", now, None, Vault(str(self.vault_dir)))

    def raw(self, label: str, model: str, method: str, ids: list[int] | None = None, **params: Any) -> Any:
        return self.step("orm", label, lambda: self.client.call(model, method, ids, **params))


def tool_surface(run: Run) -> None:
    c, today = run.client, date.today()
    run.step("get_status", "status", lambda: tools.get_status(c, GetStatusArgs()))
    customer = CreatePartnerArgs(name="Contract Customer A", email="a@contract.example", vat="US123", city="Austin")
    run.step("create_partner", "preview", lambda: tools_write.preview_partner(c, customer))
    made = run.step("create_partner", "execute", lambda: tools_write.create_partner(c, customer, run.ctx("rq-p1")))
    run.ids["customer"] = int((made or {}).get("partner_id") or 0)
    run.step("create_partner", "resolve", lambda: tools_write.resolve_partner(c, customer, run.ctx("rq-p1")))
    vendor = CreatePartnerArgs(name="Contract Vendor B", is_company=True)
    made = run.step("create_partner", "execute vendor", lambda: tools_write.create_partner(c, vendor, run.ctx("rq-p2")))
    run.ids["vendor"] = int((made or {}).get("partner_id") or 0)
    product = run.raw(
        "product without unit",
        "product.product",
        "create",
        vals_list=[{"name": "Contract Widget", "list_price": 100.0}],
    )
    run.ids["product"] = int(product[0]) if isinstance(product, list) and product else 0
    for role in ("any", "customer", "vendor"):
        run.step(
            "find_partners", role, lambda r=role: tools.find_partners(c, FindPartnersArgs(query="Contract", role=r))
        )
    run.step("find_partners", "empty query", lambda: tools.find_partners(c, FindPartnersArgs(limit=5)))
    run.step("find_products", "query", lambda: tools.find_products(c, FindProductsArgs(query="Contract")))
    _invoices(run, today)
    _reminder(run)
    _paid_twice(run, today)
    _reports(run, today)


def _invoices(run: Run, today: date) -> None:
    c, ids = run.client, run.ids
    lines: list[dict[str, Any]] = [
        {"product_id": ids["product"], "quantity": 2},
        {"description": "Consulting", "quantity": 1, "unit_price": 50.0, "tax_ids": []},
    ]
    inv = CreateInvoiceArgs(
        partner_id=ids["customer"],
        lines=lines,
        invoice_date=today - timedelta(days=40),
        due_date=today - timedelta(days=10),
        reference="PO-1",
    )
    run.step("create_invoice", "preview", lambda: tools_write.preview_invoice(c, inv))
    made = run.step("create_invoice", "execute", lambda: tools_write.create_invoice(c, inv, run.ctx("rq-i1")))
    ids["invoice"] = int((made or {}).get("invoice_id") or 0)
    run.step("create_invoice", "resolve", lambda: tools_write.resolve_invoice(c, inv, run.ctx("rq-i1")))
    post = PostInvoiceArgs(invoice_id=ids["invoice"])
    run.step("post_invoice", "preview", lambda: tools_write.preview_post(c, post))
    run.step("post_invoice", "execute", lambda: tools_write.post_invoice(c, post, run.ctx("rq-o1")))
    run.step("post_invoice", "resolve", lambda: tools_write.resolve_post(c, post, run.ctx("rq-o1")))
    bill = CreateInvoiceArgs(
        kind="vendor",
        partner_id=ids["vendor"],
        invoice_date=today,
        reference="B-77",
        lines=[{"description": "Paper", "quantity": 3, "unit_price": 20.0}],
    )
    made = run.step("create_invoice", "execute bill", lambda: tools_write.create_invoice(c, bill, run.ctx("rq-i2")))
    ids["bill"] = int((made or {}).get("invoice_id") or 0)
    run.step(
        "post_invoice",
        "execute bill",
        lambda: tools_write.post_invoice(c, PostInvoiceArgs(invoice_id=ids["bill"]), run.ctx("rq-o2")),
    )
    draft = CreateInvoiceArgs(partner_id=ids["customer"], lines=[{"description": "Draft only", "unit_price": 10.0}])
    made = run.step("create_invoice", "execute draft", lambda: tools_write.create_invoice(c, draft, run.ctx("rq-i3")))
    ids["draft"] = int((made or {}).get("invoice_id") or 0)
    part = RegisterPaymentArgs(invoice_id=ids["invoice"], amount=100.0, payment_date=today - timedelta(days=5))
    run.step("register_payment", "preview partial", lambda: tools_payment.preview_payment(c, part))
    run.step("register_payment", "execute partial", lambda: tools_payment.register_payment(c, part, run.ctx("rq-y1")))
    run.step("register_payment", "resolve partial", lambda: tools_payment.resolve_payment(c, part, run.ctx("rq-y1")))
    run.step("get_invoice", "partly paid", lambda: tools.get_invoice(c, GetInvoiceArgs(invoice_id=ids["invoice"])))
    rest = RegisterPaymentArgs(invoice_id=ids["bill"])
    run.step("register_payment", "execute full bill", lambda: tools_payment.register_payment(c, rest, run.ctx("rq-y2")))
    run.step("get_invoice", "paid bill", lambda: tools.get_invoice(c, GetInvoiceArgs(invoice_id=ids["bill"])))
    run.step("get_invoice", "draft", lambda: tools.get_invoice(c, GetInvoiceArgs(invoice_id=ids["draft"])))
    run.step("get_invoice", "missing", lambda: tools.get_invoice(c, GetInvoiceArgs(invoice_id=MISSING_ID)))
    run.step("post_invoice", "preview posted", lambda: tools_write.preview_post(c, post))
    run.step("register_payment", "preview paid", lambda: tools_payment.preview_payment(c, rest))


def _reminder(run: Run) -> None:
    """send_payment_reminder (issue 16) on the partly paid, overdue invoice: preview, the post on its chatter,
    finding it again by the request id, the cooldown read back, and the refusals."""
    c, ids = run.client, run.ids
    args = SendPaymentReminderArgs(invoice_id=ids["invoice"])
    tool = "send_payment_reminder"
    run.step(tool, "preview", lambda: tools_reminder.preview_reminder(c, args))
    run.step(tool, "execute", lambda: tools_reminder.send_payment_reminder(c, args, run.ctx("rq-r1")))
    run.step(tool, "resolve", lambda: tools_reminder.resolve_reminder(c, args, run.ctx("rq-r1")))
    run.step(tool, "preview in cooldown", lambda: tools_reminder.preview_reminder(c, args))
    draft = SendPaymentReminderArgs(invoice_id=ids["draft"])
    run.step(tool, "preview draft", lambda: tools_reminder.preview_reminder(c, draft))
    missing = SendPaymentReminderArgs(invoice_id=MISSING_ID)
    run.step(tool, "preview missing", lambda: tools_reminder.preview_reminder(c, missing))


def _paid_twice(run: Run, today: date) -> None:
    """A second invoice on 30-day terms with a taxed product line, paid in two payments."""
    c, ids = run.client, run.ids
    terms = run.raw(
        "find 30 days", "account.payment.term", "search_read", domain=[["name", "=", "30 Days"]], fields=["name"]
    )
    term = int(terms[0]["id"]) if terms else None
    args = CreateInvoiceArgs(
        partner_id=ids["customer"],
        invoice_date=today - timedelta(days=3),
        payment_term_id=term,
        lines=[{"product_id": ids["product"], "quantity": 1, "unit_price": 80.0}],
    )
    made = run.step(
        "create_invoice", "execute with terms", lambda: tools_write.create_invoice(c, args, run.ctx("rq-i4"))
    )
    second = int((made or {}).get("invoice_id") or 0)
    post = PostInvoiceArgs(invoice_id=second)
    run.step("post_invoice", "execute with terms", lambda: tools_write.post_invoice(c, post, run.ctx("rq-o4")))
    first = RegisterPaymentArgs(invoice_id=second, amount=50.0, payment_date=today - timedelta(days=1))
    run.step(
        "register_payment", "execute first of two", lambda: tools_payment.register_payment(c, first, run.ctx("rq-y4"))
    )
    rest = RegisterPaymentArgs(invoice_id=second, payment_date=today)
    run.step("register_payment", "preview the rest", lambda: tools_payment.preview_payment(c, rest))
    run.step("register_payment", "execute the rest", lambda: tools_payment.register_payment(c, rest, run.ctx("rq-y5")))
    run.step("get_invoice", "paid in two", lambda: tools.get_invoice(c, GetInvoiceArgs(invoice_id=second)))


def _reports(run: Run, today: date) -> None:
    c = run.client
    for status in ("draft", "unpaid", "overdue", "paid", "all"):
        run.step("list_invoices", status, lambda s=status: tools.list_invoices(c, ListInvoicesArgs(status=s)))
    run.step(
        "list_invoices", "vendor all", lambda: tools.list_invoices(c, ListInvoicesArgs(kind="vendor", status="all"))
    )
    run.step(
        "list_invoices",
        "partner",
        lambda: tools.list_invoices(c, ListInvoicesArgs(status="all", partner_id=run.ids["customer"])),
    )
    start = today - timedelta(days=90)
    for gran in ("day", "week", "month"):
        args = RevenueSummaryArgs(date_from=start, date_to=today, granularity=gran)
        run.step("revenue_summary", gran, lambda a=args: tools_reports.revenue_summary(c, a))
    run.step("receivables_aging", "receivable", lambda: tools_reports.receivables_aging(c, ReceivablesAgingArgs()))
    run.step(
        "receivables_aging", "payable", lambda: tools_reports.receivables_aging(c, ReceivablesAgingArgs(kind="payable"))
    )
    run.step(
        "receivables_aging",
        "as of past",
        lambda: tools_reports.receivables_aging(c, ReceivablesAgingArgs(as_of=today - timedelta(days=20))),
    )
    search = SearchRecordsArgs(
        model="res.partner", domain=[["name", "ilike", "Contract"]], fields=["name", "email", "parent_id"], order="name"
    )
    run.step("search_records", "partners", lambda: tools.search_records(c, search))
    moves = SearchRecordsArgs(
        model="account.move",
        domain=[["move_type", "=", "out_invoice"]],
        fields=["name", "amount_total", "partner_id"],
        order="invoice_date desc, id",
    )
    run.step("search_records", "moves", lambda: tools.search_records(c, moves))
    bad = SearchRecordsArgs(model="res.partner", domain=[["no_such_field", "=", 1]], fields=["name"])
    run.step("search_records", "bad field", lambda: tools.search_records(c, bad))


def other_client(client: OdooClient, **changes: Any) -> OdooClient:
    conn = client.conn
    return OdooClient(Connection(**{**conn.__dict__, **changes}))
