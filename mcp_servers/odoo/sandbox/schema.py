"""The emulator's models: fields, types, labels, default orders, and the Odoo 17/18/19 differences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

RELATIONAL = frozenset({"many2one", "one2many", "many2many"})
X2MANY = frozenset({"one2many", "many2many"})
NUMERIC = frozenset({"integer", "float", "monetary"})


def now_string() -> str:
    """Now as Odoo stores a datetime field (UTC, no zone, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Field:
    type: str
    string: str
    relation: str | None = None
    selection: tuple[tuple[str, str], ...] = ()
    required: bool = False
    readonly: bool = False
    store: bool = True
    help: str = ""
    wire: tuple[tuple[str, Any], ...] = ()  # attributes fields_get reports when real Odoo's differ

    @property
    def empty(self) -> Any:
        """What Odoo returns for an unset value: False, [] for x2many, 0 for numbers."""
        if self.type in X2MANY:
            return []
        if self.type in NUMERIC:
            return 0.0 if self.type != "integer" else 0
        return False


@dataclass(frozen=True)
class Model:
    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    rec_name: str = "name"
    transient: bool = False
    parent: str | None = None  # the many2one `child_of` walks
    methods: frozenset[str] = field(default_factory=frozenset)


def _sel(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple((p, p.replace("_", " ").title()) for p in pairs)


def _base(**fields: Field) -> dict[str, Field]:
    common = {
        "id": Field("integer", "ID", readonly=True),
        "display_name": Field("char", "Display Name", readonly=True, store=False),
        "create_date": Field("datetime", "Created on", readonly=True),
        "write_date": Field("datetime", "Last Updated on", readonly=True),
    }
    return {**common, **fields}


MOVE_TYPES = (
    ("entry", "Journal Entry"),
    ("out_invoice", "Customer Invoice"),
    ("out_refund", "Customer Credit Note"),
    ("in_invoice", "Vendor Bill"),
    ("in_refund", "Vendor Credit Note"),
    ("out_receipt", "Sales Receipt"),
    ("in_receipt", "Purchase Receipt"),
)
PAYMENT_STATES_17 = (
    ("not_paid", "Not Paid"),
    ("in_payment", "In Payment"),
    ("paid", "Paid"),
    ("partial", "Partially Paid"),
    ("reversed", "Reversed"),
    ("invoicing_legacy", "Invoicing App Legacy"),
)
PAYMENT_STATES_18 = (*PAYMENT_STATES_17, ("blocked", "Blocked"))


def _m2o(relation: str, string: str, **kw: Any) -> Field:
    return Field("many2one", string, relation=relation, **kw)


def _models(version: int) -> list[Model]:
    move_payment_states = PAYMENT_STATES_18 if version >= 18 else PAYMENT_STATES_17
    payment_fields: dict[str, Field]
    if version >= 18:
        payment_fields = {
            "state": Field(
                "selection",
                "Status",
                selection=(
                    ("draft", "Draft"),
                    ("in_process", "In Process"),
                    ("paid", "Paid"),
                    ("canceled", "Canceled"),
                    ("rejected", "Rejected"),
                ),
                readonly=True,
            ),
            "memo": Field("char", "Memo"),
        }
    else:
        payment_fields = {
            "state": Field(
                "selection",
                "Status",
                selection=(("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")),
                readonly=True,
            ),
            "ref": Field("char", "Reference"),
        }
    return [
        Model(
            "res.currency",
            "Currency",
            _base(
                name=Field("char", "Currency", required=True),
                symbol=Field("char", "Symbol", required=True),
                rounding=Field("float", "Rounding Factor"),
                decimal_places=Field("integer", "Decimal Places", readonly=True),
                active=Field("boolean", "Active"),
            ),
            order="active desc, name",
        ),
        Model(
            "res.company",
            "Companies",
            _base(
                name=Field("char", "Company Name", required=True),
                currency_id=_m2o("res.currency", "Currency", required=True),
                partner_id=_m2o("res.partner", "Partner", required=True),
                email=Field("char", "Email"),
                vat=Field("char", "Tax ID"),
            ),
            order="name",
        ),
        Model(
            "res.users",
            "User",
            _base(
                name=Field("char", "Name", required=True),
                login=Field("char", "Login", required=True),
                partner_id=_m2o("res.partner", "Related Partner", required=True),
                company_id=_m2o("res.company", "Company", required=True),
                active=Field("boolean", "Active"),
            ),
            order="name, login",
            methods=frozenset({"context_get"}),
        ),
        Model(
            "res.partner",
            "Contact",
            _base(
                name=Field("char", "Name"),
                complete_name=Field("char", "Complete Name", store=False, readonly=True),
                email=Field("char", "Email"),
                phone=Field("char", "Phone"),
                vat=Field("char", "Tax ID"),
                ref=Field("char", "Reference"),
                street=Field("char", "Street"),
                city=Field("char", "City"),
                zip=Field("char", "Zip"),
                is_company=Field("boolean", "Is a Company"),
                parent_id=_m2o("res.partner", "Related Company"),
                child_ids=Field("one2many", "Contact", relation="res.partner"),
                type=Field(
                    "selection",
                    "Address Type",
                    selection=(
                        ("contact", "Contact"),
                        ("invoice", "Invoice Address"),
                        ("delivery", "Delivery Address"),
                        ("other", "Other Address"),
                    ),
                ),
                customer_rank=Field("integer", "Customer Rank"),
                supplier_rank=Field("integer", "Supplier Rank"),
                company_id=_m2o("res.company", "Company"),
                comment=Field("html", "Notes"),
                active=Field("boolean", "Active"),
            ),
            order="complete_name, id desc",
            rec_name="complete_name",
            parent="parent_id",
        ),
        Model(
            "uom.uom",
            "Product Unit of Measure",
            _base(
                name=Field("char", "Unit of Measure", required=True),
                active=Field("boolean", "Active"),
            ),
            order="name",
        ),
        Model(
            "account.account",
            "Account",
            _base(
                code=Field("char", "Code", required=True),
                name=Field("char", "Account Name", required=True),
                account_type=Field(
                    "selection",
                    "Type",
                    required=True,
                    selection=_sel(
                        "asset_receivable",
                        "asset_cash",
                        "asset_current",
                        "liability_payable",
                        "liability_current",
                        "equity",
                        "income",
                        "income_other",
                        "expense",
                        "expense_direct_cost",
                    ),
                ),
                reconcile=Field("boolean", "Allow Reconciliation"),
            ),
            order="code, id",
        ),
        Model(
            "account.tax",
            "Tax",
            _base(
                name=Field("char", "Tax Name", required=True),
                amount=Field("float", "Amount", required=True),
                amount_type=Field(
                    "selection",
                    "Tax Computation",
                    required=True,
                    selection=(
                        ("group", "Group of Taxes"),
                        ("fixed", "Fixed"),
                        ("percent", "Percentage of Price"),
                        ("division", "Percentage of Price Tax Included"),
                    ),
                ),
                type_tax_use=Field(
                    "selection",
                    "Tax Type",
                    required=True,
                    selection=(("sale", "Sales"), ("purchase", "Purchases"), ("none", "None")),
                ),
                price_include=Field("boolean", "Included in Price"),
                company_id=_m2o("res.company", "Company", required=True),
                active=Field("boolean", "Active"),
            ),
            order="id",
        ),
        Model(
            "account.journal",
            "Journal",
            _base(
                name=Field("char", "Journal Name", required=True),
                code=Field("char", "Short Code", required=True),
                type=Field(
                    "selection",
                    "Type",
                    required=True,
                    selection=(
                        ("sale", "Sales"),
                        ("purchase", "Purchase"),
                        ("cash", "Cash"),
                        ("bank", "Bank"),
                        ("general", "Miscellaneous"),
                    ),
                ),
                company_id=_m2o("res.company", "Company", required=True),
                active=Field("boolean", "Active"),
            ),
            order="type, code",
        ),
        Model(
            "account.payment.term",
            "Payment Terms",
            _base(
                name=Field("char", "Payment Terms", required=True),
                days=Field("integer", "Days"),  # the emulator's single-line term: due = invoice date + days
                active=Field("boolean", "Active"),
            ),
            order="id",
        ),
        Model(
            "product.product",
            "Product Variant",
            _base(
                name=Field("char", "Name", required=True),
                default_code=Field("char", "Internal Reference"),
                list_price=Field("float", "Sales Price"),
                standard_price=Field("float", "Cost"),
                type=Field(
                    "selection",
                    "Product Type",
                    selection=(("consu", "Goods"), ("service", "Service"), ("combo", "Combo")),
                ),
                sale_ok=Field("boolean", "Can be Sold"),
                purchase_ok=Field("boolean", "Can be Purchased"),
                taxes_id=Field("many2many", "Sales Taxes", relation="account.tax"),
                supplier_taxes_id=Field("many2many", "Purchase Taxes", relation="account.tax"),
                uom_id=_m2o("uom.uom", "Unit", required=True),
                active=Field("boolean", "Active"),
            ),
            order="default_code, name, id",
        ),
        Model(
            "account.move",
            "Journal Entry",
            _base(
                name=Field("char", "Number", readonly=True),
                move_type=Field("selection", "Type", selection=MOVE_TYPES, required=True, readonly=True),
                state=Field(
                    "selection",
                    "Status",
                    readonly=True,
                    required=True,
                    selection=(("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")),
                ),
                partner_id=_m2o("res.partner", "Partner"),
                commercial_partner_id=_m2o("res.partner", "Commercial Entity", readonly=True),
                journal_id=_m2o("account.journal", "Journal", required=True),
                company_id=_m2o("res.company", "Company", readonly=True),
                currency_id=_m2o("res.currency", "Currency", required=True),
                date=Field("date", "Date", required=True),
                invoice_date=Field("date", "Invoice/Bill Date"),
                invoice_date_due=Field("date", "Due Date"),
                invoice_payment_term_id=_m2o("account.payment.term", "Payment Terms"),
                ref=Field("char", "Reference"),
                payment_reference=Field("char", "Payment Reference"),
                invoice_origin=Field("char", "Origin"),
                narration=Field("html", "Terms and Conditions"),
                invoice_line_ids=Field("one2many", "Invoice lines", relation="account.move.line"),
                line_ids=Field("one2many", "Journal Items", relation="account.move.line"),
                amount_untaxed=Field("monetary", "Untaxed Amount", readonly=True),
                amount_tax=Field("monetary", "Tax", readonly=True),
                amount_total=Field("monetary", "Total", readonly=True),
                amount_residual=Field("monetary", "Amount Due", readonly=True),
                amount_untaxed_signed=Field("monetary", "Untaxed Amount Signed", readonly=True),
                amount_tax_signed=Field("monetary", "Tax Signed", readonly=True),
                amount_total_signed=Field("monetary", "Total Signed", readonly=True),
                amount_residual_signed=Field("monetary", "Amount Due Signed", readonly=True),
                payment_state=Field("selection", "Payment Status", selection=move_payment_states, readonly=True),
                invoice_payments_widget=Field("binary", "Invoice Payments Widget", store=False, readonly=True),
                **(
                    {"matched_payment_ids": Field("many2many", "Matched Payments", relation="account.payment")}
                    if version >= 18
                    else {}
                ),
            ),
            order="date desc, name desc, invoice_date desc, id desc",
            methods=frozenset({"action_post", "button_draft", "button_cancel"}),
        ),
        Model(
            "account.move.line",
            "Journal Item",
            _base(
                move_id=_m2o("account.move", "Journal Entry", required=True),
                move_name=Field("char", "Number", store=False, readonly=True),
                parent_state=Field(
                    "selection",
                    "Status",
                    store=False,
                    readonly=True,
                    selection=(("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")),
                ),
                name=Field("char", "Label"),
                product_id=_m2o("product.product", "Product"),
                partner_id=_m2o("res.partner", "Partner"),
                account_id=_m2o("account.account", "Account"),
                quantity=Field("float", "Quantity"),
                price_unit=Field("float", "Unit Price"),
                discount=Field("float", "Discount (%)"),
                tax_ids=Field("many2many", "Taxes", relation="account.tax"),
                price_subtotal=Field("monetary", "Subtotal", readonly=True),
                price_total=Field("monetary", "Total", readonly=True),
                display_type=Field(
                    "selection",
                    "Display Type",
                    selection=(
                        ("product", "Product"),
                        ("line_section", "Section"),
                        ("line_note", "Note"),
                        ("payment_term", "Payment Term"),
                        ("tax", "Tax"),
                    ),
                ),
                date=Field("date", "Date", store=False, readonly=True),
            ),
            order="date desc, move_name desc, id",
            rec_name="name",
        ),
        Model(
            "account.payment",
            "Payments",
            _base(
                name=Field("char", "Number", readonly=True),
                payment_type=Field(
                    "selection", "Payment Type", required=True, selection=(("outbound", "Send"), ("inbound", "Receive"))
                ),
                partner_type=Field(
                    "selection", "Partner Type", selection=(("customer", "Customer"), ("supplier", "Vendor"))
                ),
                partner_id=_m2o("res.partner", "Customer/Vendor"),
                amount=Field("monetary", "Amount"),
                date=Field("date", "Date", required=True),
                journal_id=_m2o("account.journal", "Journal", required=True),
                currency_id=_m2o("res.currency", "Currency"),
                company_id=_m2o("res.company", "Company", readonly=True),
                reconciled_invoice_ids=Field(
                    "many2many", "Reconciled Invoices", relation="account.move", readonly=True
                ),
                reconciled_bill_ids=Field("many2many", "Reconciled Bills", relation="account.move", readonly=True),
                is_reconciled=Field("boolean", "Is Reconciled", readonly=True),
                **payment_fields,
            ),
            order="date desc, name desc",
            methods=frozenset({"action_post"}),
        ),
        Model(
            "account.payment.register",
            "Pay",
            _base(
                amount=Field("monetary", "Amount"),
                payment_date=Field("date", "Payment Date", required=True),
                communication=Field("char", "Memo"),
                journal_id=_m2o("account.journal", "Journal"),
                partner_id=_m2o("res.partner", "Customer/Vendor", readonly=True),
                currency_id=_m2o("res.currency", "Currency"),
                group_payment=Field("boolean", "Group Payments"),
                payment_difference_handling=Field(
                    "selection",
                    "Payment Difference Handling",
                    selection=(("open", "Keep open"), ("reconcile", "Mark as fully paid")),
                ),
                line_ids=Field("many2many", "Journal items", relation="account.move.line", readonly=True),
            ),
            transient=True,
            methods=frozenset({"action_create_payments"}),
        ),
    ]


def emulated_models(version: int) -> dict[str, Model]:
    """The models as written here, before real Odoo's fields are added (what `record_schema` asks for)."""
    return {m.name: m for m in _models(version)}
