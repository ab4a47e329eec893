"""Arguments and results of the Odoo tools (what the model sees); validation that refuses, never coerces."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mcp_servers.core.models import ToolResult
from mcp_servers.odoo.const import MAX_LINES_PER_INVOICE, MAX_RECORDS_PER_READ, READABLE_MODELS

Money = Annotated[float, Field(strict=True, ge=0, le=1e12)]
PositiveMoney = Annotated[float, Field(strict=True, gt=0, le=1e12)]
RecordId = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
Limit = Annotated[int, Field(ge=1, le=MAX_RECORDS_PER_READ)]
# The operators search_records accepts (Odoo's own list). The emulator (sandbox/domain.py) keeps its own copy
# on purpose: it stands in for Odoo, so it must not take Odoo's behaviour from the client it is testing. A
# change here that the emulator does not follow is caught by the contract tests, not hidden by a shared import.
_DOMAIN_OPERATORS = {
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "=like",
    "=ilike",
    "=?",
    "child_of",
    "parent_of",
}


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- reads -----------------------------------------------------------------------------------------
class GetStatusArgs(_Args):
    pass


class Status(ToolResult):
    version: str = Field(description="Odoo server version, e.g. 19.0")
    protocol: str = Field(description="xmlrpc or json2")
    database: str
    user: str
    company: str
    currency: str = Field(description="Company currency; every amount is in it unless said otherwise")
    url: str


class FindPartnersArgs(_Args):
    query: str = Field(default="", max_length=200, description="Part of the name, email or tax id; empty = all")
    role: Literal["customer", "vendor", "any"] = Field(default="any", description="Only customers / vendors")
    limit: Limit = 20


class Partner(BaseModel):
    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    vat: str | None = None
    is_company: bool = False
    is_customer: bool = False
    is_vendor: bool = False


class PartnerList(ToolResult):
    partners: list[Partner]


class FindProductsArgs(_Args):
    query: str = Field(default="", max_length=200, description="Part of the name or internal reference")
    limit: Limit = 20


class Product(BaseModel):
    id: int
    name: str
    code: str | None = None
    price: float = Field(description="Sales price, before tax")
    taxes: list[str] = Field(default_factory=list, description="Default sales taxes")
    unit: str | None = None


class ProductList(ToolResult):
    products: list[Product]


class ListInvoicesArgs(_Args):
    kind: Literal["customer", "vendor"] = Field(default="customer", description="customer invoices or vendor bills")
    status: Literal["draft", "unpaid", "overdue", "paid", "all"] = Field(
        default="all", description="unpaid = posted and not fully paid; overdue = unpaid and past due"
    )
    partner_id: RecordId | None = Field(default=None, description="Only this partner's")
    date_from: date | None = Field(default=None, description="Invoice date on or after")
    date_to: date | None = Field(default=None, description="Invoice date on or before")
    limit: Limit = 50


class InvoiceSummary(BaseModel):
    id: int
    number: str
    partner: str | None
    partner_id: int | None
    invoice_date: str | None
    due_date: str | None
    state: str
    payment_state: str
    total: float
    amount_due: float
    reference: str | None = None


class InvoiceList(ToolResult):
    invoices: list[InvoiceSummary]
    count: int = Field(description="All matching invoices (the list may be cut at `limit`)")
    total: float = Field(description="Sum of totals of all matching invoices")
    amount_due: float = Field(description="Sum still due of all matching invoices")
    currency: str


class GetInvoiceArgs(_Args):
    invoice_id: RecordId = Field(description="The invoice or bill id (from list_invoices)")


class InvoiceLine(BaseModel):
    description: str | None
    product: str | None
    quantity: float
    unit_price: float
    taxes: list[int]
    subtotal: float
    total: float


class Payment(BaseModel):
    id: int
    number: str | None
    date: str | None
    amount: float
    state: str
    memo: str | None = None


class InvoiceDetail(ToolResult):
    invoice: InvoiceSummary
    kind: str
    untaxed: float
    tax: float
    lines: list[InvoiceLine]
    payments: list[Payment]
    currency: str


class RevenueSummaryArgs(_Args):
    date_from: date = Field(description="First invoice date included")
    date_to: date = Field(description="Last invoice date included")
    granularity: Literal["day", "week", "month"] = "month"

    @model_validator(mode="after")
    def _ordered(self) -> RevenueSummaryArgs:
        if self.date_to < self.date_from:
            raise ValueError("date_to is before date_from")
        return self


class RevenuePeriod(BaseModel):
    period_start: str
    invoiced: float
    refunded: float
    net: float
    invoices: int


class RevenueSummary(ToolResult):
    periods: list[RevenuePeriod]
    invoiced: float
    refunded: float
    net: float = Field(description="Invoiced minus credit notes, untaxed, posted only")
    currency: str


class ReceivablesAgingArgs(_Args):
    as_of: date | None = Field(default=None, description="Age as of this day (default today)")
    kind: Literal["receivable", "payable"] = "receivable"


class AgingRow(BaseModel):
    partner_id: int | None
    partner: str | None
    current: float = Field(description="Not yet due")
    days_0_30: float
    days_31_60: float
    days_61_90: float
    days_90_plus: float
    total: float


class ReceivablesAging(ToolResult):
    as_of: str
    partners: list[AgingRow]
    totals: AgingRow
    currency: str


class SearchRecordsArgs(_Args):
    model: str = Field(description="A business model, e.g. account.move, res.partner, product.product")
    domain: list[Any] | str = Field(
        default=[],  # not default_factory: the core server rebuilds the signature from the field
        description='Odoo domain in prefix notation, as a JSON list, e.g. [["state","=","posted"],'
        '"|",["partner_id","=",7],["partner_id","=",8]]. [] means no filter.',
    )
    fields: list[str] = Field(min_length=1, max_length=50, description="Fields to return (always name them)")
    limit: Limit = 50
    offset: int = Field(default=0, ge=0, le=10_000_000)
    order: str | None = Field(default=None, max_length=200, description='e.g. "invoice_date desc, id"')

    @field_validator("model")
    @classmethod
    def _allowed(cls, value: str) -> str:
        if value not in READABLE_MODELS:
            raise ValueError(f"{value!r} is not readable here; choose one of {', '.join(sorted(READABLE_MODELS))}")
        return value

    @field_validator("domain", mode="before")
    @classmethod
    def _domain(cls, value: Any) -> list[Any]:
        return parse_domain(value)


def parse_domain(value: Any) -> list[Any]:
    """A well-formed prefix-notation domain, or a ValueError naming the problem (never `[]` by default)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError('domain is not valid JSON; give a list like [["state","=","posted"]]') from None
    if not isinstance(value, list):
        raise ValueError("domain must be a JSON list of conditions")
    expected = 1
    for token in value:
        if expected == 0:
            expected = 1  # implicit AND
        if token in ("&", "|"):
            expected += 1
        elif token == "!":
            pass
        elif (
            isinstance(token, list) and len(token) == 3 and isinstance(token[0], str) and token[1] in _DOMAIN_OPERATORS
        ):
            expected -= 1
        else:
            raise ValueError(f"domain element {token!r} is not '&', '|', '!' or [field, operator, value]")
    if value and expected != 0:
        raise ValueError("domain operators '&', '|', '!' are missing operands")
    return value


class RecordList(ToolResult):
    model: str
    records: list[dict[str, Any]]
    count: int = Field(description="All matching records (the list may be cut at `limit`)")


# --- writes ----------------------------------------------------------------------------------------
class CreatePartnerArgs(_Args):
    name: str = Field(min_length=1, max_length=200, description="Company or person name")
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    vat: str | None = Field(default=None, max_length=50, description="Tax id")
    is_company: bool = True
    street: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    zip: str | None = Field(default=None, max_length=20)


class InvoiceLineArgs(_Args):
    product_id: RecordId | None = Field(default=None, description="A product (price and taxes default from it)")
    description: str | None = Field(default=None, max_length=500, description="Line text; required without product")
    quantity: Annotated[float, Field(strict=True, gt=0, le=1e9)] = 1.0
    unit_price: Money | None = Field(default=None, description="Price per unit before tax; default the product's")
    tax_ids: list[RecordId] | None = Field(default=None, description="Taxes; default the product's; [] for none")

    @model_validator(mode="after")
    def _text_or_product(self) -> InvoiceLineArgs:
        if self.product_id is None and not self.description:
            raise ValueError("a line needs a product_id or a description")
        if self.product_id is None and self.unit_price is None:
            raise ValueError("a line without product needs a unit_price")
        return self


class CreateInvoiceArgs(_Args):
    kind: Literal["customer", "vendor"] = Field(default="customer", description="customer invoice or vendor bill")
    partner_id: RecordId = Field(description="Customer or vendor id (find_partners)")
    lines: list[InvoiceLineArgs] = Field(min_length=1, max_length=MAX_LINES_PER_INVOICE)
    invoice_date: date | None = Field(default=None, description="Default: the day it is posted (bills need one)")
    due_date: date | None = Field(default=None, description="Due date; or give payment_term_id")
    payment_term_id: RecordId | None = Field(default=None, description="Payment terms instead of a due date")
    reference: str | None = Field(default=None, max_length=100, description="Customer PO / vendor bill number")

    @model_validator(mode="after")
    def _one_due(self) -> CreateInvoiceArgs:
        if self.due_date and self.payment_term_id:
            raise ValueError("give due_date or payment_term_id, not both")
        if self.due_date and self.invoice_date and self.due_date < self.invoice_date:
            raise ValueError("due_date is before invoice_date")
        return self


class PostInvoiceArgs(_Args):
    invoice_id: RecordId = Field(description="A draft invoice or bill")


class RegisterPaymentArgs(_Args):
    invoice_id: RecordId = Field(description="A posted invoice or bill with an amount due")
    amount: PositiveMoney | None = Field(default=None, description="Default: the full amount due")
    payment_date: date | None = Field(default=None, description="Default: today")
    memo: str | None = Field(default=None, max_length=200)
