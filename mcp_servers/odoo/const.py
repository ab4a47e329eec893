"""Names and limits the Odoo service agrees on with the rest of the product."""

from __future__ import annotations

SERVICE = "odoo"
SANDBOX_DB = "sandbox"
SANDBOX_LOGIN = "admin"
SANDBOX_PASSWORD = "admin"
SANDBOX_STATE_FILE = "odoo.json"
SUPPORTED_VERSIONS = (17, 18, 19)
DEFAULT_SANDBOX_VERSION = 19

# What `search_records` may read: business models only. Security models (res.users.apikeys, ir.*)
# are never readable, whatever the Odoo user's rights.
READABLE_MODELS = frozenset(
    {
        "res.partner",
        "res.company",
        "res.currency",
        "product.product",
        "account.tax",
        "account.journal",
        "account.account",
        "account.move",
        "account.move.line",
        "account.payment",
        "account.payment.term",
        "uom.uom",
    }
)

MAX_LINES_PER_INVOICE = 500
MAX_RECORDS_PER_READ = 500

# One definition of open receivables (payables), for receivables_aging and the weekly briefing alike.
OPEN_PAYMENT_STATES = ("not_paid", "partial", "blocked")  # `blocked` (18+): on hold, still owed
OPEN_RECEIVABLES = (
    "open receivables are what customers still owe on posted invoices dated up to that day, net of their credit "
    "notes not yet used (Odoo's amount due, in company currency); an invoice whose payment waits for the bank "
    "reconciliation ('in payment') is not counted as open"
)
