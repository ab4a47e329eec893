"""The emulator's starting data: a fresh Invoicing database (`empty_state`) and a believable demo
company (`demo_state`): 25 customers, 10 vendors, 15 products and six months of invoices, bills and
payments ending today, some overdue. Deterministic for a given day, built through the same
accounting code the RPC calls use."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from typing import Any

from mcp_servers.odoo.const import SANDBOX_DB, SANDBOX_LOGIN, SANDBOX_PASSWORD
from mcp_servers.odoo.sandbox import accounting as acc
from mcp_servers.odoo.sandbox import payments as pay
from mcp_servers.odoo.sandbox.journal_items import post_with_terms
from mcp_servers.odoo.sandbox.orm import Env
from mcp_servers.odoo.sandbox.registry import RULES
from mcp_servers.odoo.sandbox.terms import fresh_terms

State = dict[str, Any]

_CUSTOMERS = [
    "Acme Corporation",
    "Brightline Dental",
    "Cedar & Pine Interiors",
    "Delta Logistics",
    "Evergreen Bakery",
    "Foxglove Florists",
    "Granite Peak Fitness",
    "Harborview Hotel",
    "Indigo Print Shop",
    "Juniper Law Group",
    "Keystone Builders",
    "Lumen Optics",
    "Maple Street Café",
    "Northwind Traders",
    "Orchid Spa & Wellness",
    "Pioneer Auto Repair",
    "Quartz Analytics",
    "Riverside Veterinary",
    "Summit Outdoor Gear",
    "Tidewater Marine",
    "Union Square Books",
    "Vantage Realty",
    "Willow Creek Farms",
    "Xenon Labs",
    "Yellowstone Tours",
]
_VENDORS = [
    "Office Depot Supplies",
    "CloudHost Ltd",
    "Metro Power & Light",
    "Swift Courier",
    "Adobe Systems",
    "Prime Insurance Co",
    "City Property Management",
    "TeleConnect ISP",
    "Paper & Ink Wholesale",
    "Greenleaf Cleaning Services",
]
_PRODUCTS = [  # (code, name, type, list price, cost)
    ("CONS-H", "Consulting (hour)", "service", 150.0, 0.0),
    ("DES-H", "Design (hour)", "service", 95.0, 0.0),
    ("DEV-H", "Development (hour)", "service", 120.0, 0.0),
    ("SUP-M", "Support plan (month)", "service", 300.0, 0.0),
    ("AUD-01", "Website audit", "service", 850.0, 0.0),
    ("WS-01", "Workshop (half day)", "service", 1200.0, 0.0),
    ("LOGO-1", "Logo package", "service", 650.0, 0.0),
    ("SEO-M", "SEO retainer (month)", "service", 450.0, 0.0),
    ("HOST-Y", "Hosting (year)", "service", 240.0, 90.0),
    ("PRT-A4", "Printed brochures (100)", "consu", 180.0, 70.0),
    ("CAM-01", "Camera kit rental", "consu", 220.0, 60.0),
    ("SW-LIC", "Software licence", "consu", 99.0, 40.0),
    ("TRN-01", "Training session", "service", 500.0, 0.0),
    ("PHO-D", "Photo shoot (day)", "service", 900.0, 0.0),
    ("BAN-01", "Roll-up banner", "consu", 140.0, 55.0),
]


def _put(data: State, model: str, rows: list[dict[str, Any]]) -> None:
    table = data["models"].setdefault(model, {})
    stamp = "2026-01-01 09:00:00"
    for row in rows:
        table[str(row["id"])] = {"create_date": stamp, "write_date": stamp, **row}
    data["meta"]["next_id"][model] = max(int(k) for k in table) + 1


def _fresh_partners(company: str, version: int) -> list[dict[str, Any]]:
    """The partners of a fresh database as real Odoo creates them (17/18 have a user template more)."""
    base = {"is_company": False, "type": "contact", "customer_rank": 0, "supplier_rank": 0, "active": False}
    templates = ["Public user", "Default User Template", "Portal User Template"]
    if version >= 19:
        templates.remove("Default User Template")
    return [
        {**base, "id": 1, "name": company, "is_company": True, "active": True, "phone": ""},
        {**base, "id": 2, "name": "OdooBot", "email": "odoobot@example.com", "company_id": 1},
        {
            **base,
            "id": 3,
            "name": "Administrator",
            "active": True,
            "email": "admin@example.com" if version < 19 else False,
            "company_id": 1,
        },
        *({**base, "id": 4 + i, "name": name} for i, name in enumerate(templates)),
    ]


def _fresh_journals(version: int) -> list[tuple[str, str, str, int]]:
    """(name, code, type, sequence) of the generic chart's journals, in id order."""
    sale, purchase = ("Sales", "Purchases") if version >= 19 else ("Customer Invoices", "Vendor Bills")
    journals = [
        (sale, "INV", "sale", 5),
        (purchase, "BILL", "purchase", 6),
        ("Miscellaneous Operations", "MISC", "general", 7 if version < 19 else 9),
        ("Exchange Difference", "EXCH", "general", 9 if version < 19 else 10),
        ("Cash Basis Taxes", "CABA", "general", 10),
        ("Bank", "BNK1", "bank", 10 if version < 19 else 7),
    ]
    return journals + ([("Cash", "CSH1", "cash", 10)] if version < 19 else [])


def empty_state(company: str = "My Company", version: int = 19) -> State:
    """A fresh database with Invoicing as real Odoo `version` has it: USD company, generic chart, its
    15% taxes (and 0% export/import taxes on 19), its journals, the fresh partners and users."""
    data: State = {
        "meta": {
            "db": SANDBOX_DB,
            "login": SANDBOX_LOGIN,
            "password": SANDBOX_PASSWORD,
            "api_key": secrets.token_hex(20),
            "company_id": 1,
            "next_id": {},
            "seq": {},
            "accounts": {"receivable": 1, "payable": 2, "income": 3, "expense": 4, "bank": 5},
        },
        "models": {},
    }
    _put(
        data,
        "res.currency",
        [
            {"id": 1, "name": "USD", "symbol": "$", "rounding": 0.01, "decimal_places": 2, "active": True},
            {"id": 2, "name": "EUR", "symbol": "€", "rounding": 0.01, "decimal_places": 2, "active": False},
        ],
    )
    _put(data, "res.partner", _fresh_partners(company, version))
    _put(
        data,
        "res.company",
        [
            {
                "id": 1,
                "name": company,
                "currency_id": 1,
                "partner_id": 1,
                "email": False,
                "vat": False,
                "account_sale_tax_id": 1,
                "account_purchase_tax_id": 2,
            }
        ],
    )
    _put(
        data,
        "res.users",
        [
            {"id": 1, "name": "OdooBot", "login": "__system__", "partner_id": 2, "company_id": 1, "active": False},
            {
                "id": 2,
                "name": "Administrator",
                "login": SANDBOX_LOGIN,
                "partner_id": 3,
                "company_id": 1,
                "active": True,
            },
        ],
    )
    _put(
        data,
        "account.account",
        [
            {
                "id": 1,
                "code": "121000",
                "name": "Account Receivable",
                "account_type": "asset_receivable",
                "reconcile": True,
            },
            {
                "id": 2,
                "code": "211000",
                "name": "Account Payable",
                "account_type": "liability_payable",
                "reconcile": True,
            },
            {"id": 3, "code": "400000", "name": "Product Sales", "account_type": "income", "reconcile": False},
            {"id": 4, "code": "600000", "name": "Expenses", "account_type": "expense", "reconcile": False},
            {"id": 5, "code": "101401", "name": "Bank", "account_type": "asset_cash", "reconcile": False},
        ],
    )
    taxes = [("15%", 15.0, "sale"), ("15%", 15.0, "purchase")]
    if version >= 19:
        taxes += [("0% Exports", 0.0, "sale"), ("0% Imports", 0.0, "purchase")]
    _put(
        data,
        "account.tax",
        [
            {
                "id": i + 1,
                "name": name,
                "amount": amount,
                "amount_type": "percent",
                "type_tax_use": use,
                "price_include": False,
                "sequence": 1,
                "company_id": 1,
                "active": True,
            }
            for i, (name, amount, use) in enumerate(taxes)
        ],
    )
    _put(
        data,
        "account.journal",
        [
            {"id": i + 1, "name": n, "code": c, "type": t, "sequence": q, "company_id": 1, "active": True}
            for i, (n, c, t, q) in enumerate(_fresh_journals(version))
        ],
    )
    _put(data, "account.payment.term", fresh_terms(version))
    _put(data, "uom.uom", [{"id": 1, "name": "Units", "active": True}, {"id": 2, "name": "Hours", "active": True}])
    for model in (
        "product.product",
        "account.move",
        "account.move.line",
        "account.payment",
        "account.payment.register",
    ):
        data["models"].setdefault(model, {})
    return data


def _slug(name: str) -> str:
    return "-".join("".join(c for c in w if c.isalnum()) for w in name.lower().split()[:2]).strip("-")


def _partners(env: Env, rng: random.Random) -> tuple[list[int], list[int]]:
    customers, vendors = [], []
    for i, name in enumerate(_CUSTOMERS):
        slug = _slug(name)
        rid = env.create(
            "res.partner",
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": f"accounts@{slug}.example",
                    "phone": f"+1 555 01{i:02d}",
                    "city": rng.choice(["Portland", "Seattle", "Denver", "Austin", "Boston"]),
                }
            ],
        )[0]
        customers.append(rid)
    for i, name in enumerate(_VENDORS):
        slug = _slug(name)
        vendors.append(
            env.create(
                "res.partner",
                [{"name": name, "is_company": True, "email": f"billing@{slug}.example", "phone": f"+1 555 02{i:02d}"}],
            )[0]
        )
    return customers, vendors


def _products(env: Env) -> list[int]:
    ids = []
    for code, name, ptype, price, cost in _PRODUCTS:
        ids.append(
            env.create(
                "product.product",
                [
                    {
                        "name": name,
                        "default_code": code,
                        "type": ptype,
                        "list_price": price,
                        "standard_price": cost,
                        "sale_ok": True,
                        "purchase_ok": ptype == "consu",
                        "taxes_id": [1],
                        "supplier_taxes_id": [2],
                        "uom_id": 2 if name.endswith("(hour)") else 1,
                    }
                ],
            )[0]
        )
    return ids


def add_invoice(
    env: Env, rng: random.Random, move_type: str, partner: int, day: date, products: list[int], term: int, end: date
) -> int:
    """One posted invoice/bill dated `day`, paid (in full or in part) or left open by its age."""
    if move_type == "in_invoice":
        lines = [
            (
                0,
                0,
                {
                    "name": rng.choice(["Monthly service", "Supplies", "Utilities", "Subscription"]),
                    "quantity": 1,
                    "price_unit": float(rng.randrange(40, 1200)),
                    "tax_ids": [(6, 0, [2])],
                },
            )
        ]
    else:
        lines = [
            (0, 0, {"product_id": rng.choice(products), "quantity": float(rng.randint(1, 8))})
            for _ in range(rng.randint(1, 3))
        ]
    move_id = acc.create_moves(
        env,
        [
            {
                "move_type": move_type,
                "partner_id": partner,
                "invoice_date": day.isoformat(),
                "invoice_payment_term_id": term,
                "invoice_line_ids": lines,
                "ref": f"PO-{rng.randint(1000, 9999)}" if move_type == "in_invoice" else False,
            }
        ],
    )[0]
    post_with_terms(env, [move_id])
    move = env.table("account.move")[str(move_id)]
    due = date.fromisoformat(move["invoice_date_due"])
    roll = rng.random()
    if (due < end - timedelta(days=5) and roll < 0.82) or (due >= end and roll < 0.25):
        pay_day = min(end, due + timedelta(days=rng.randint(-10, 12)))
        pay_day = max(pay_day, day)
        amount = move["amount_residual"] if rng.random() > 0.12 else round(move["amount_residual"] / 2, 2)
        pay.pay_move(env, move, amount, pay_day.isoformat(), move["name"], 4)
    return move_id


def _demo_admin(data: State) -> None:
    """Odoo's demo data names the admin Mitchell Admin, a contact of the company, with addresses set."""
    partners, users = data["models"]["res.partner"], data["models"]["res.users"]
    partners["1"]["email"] = data["models"]["res.company"]["1"]["email"] = "info@yourcompany.example"
    partners["3"].update(name="Mitchell Admin", parent_id=1, email="admin@yourcompany.example")
    users["2"]["name"] = "Mitchell Admin"
    for rid in [k for k in partners if int(k) > 3]:  # the demo's ids start after the admin, as before
        del partners[rid]
    data["meta"]["next_id"]["res.partner"] = 4


def demo_state(version: int, end: date | None = None, invoices: int = 150, bills: int = 45) -> State:
    """The demo company over the six months ending `end` (today by default)."""
    end = end or date.today()
    data = empty_state("Blue Harbor Consulting LLC", version)
    _demo_admin(data)
    env = Env(data, version, rules=RULES)
    rng = random.Random(20261125)
    customers, vendors = _partners(env, rng)
    products = _products(env)
    start = end - timedelta(days=182)
    plan = sorted(
        [(start + timedelta(days=rng.randrange(183)), "out_invoice", rng.choice(customers)) for _ in range(invoices)]
        + [(start + timedelta(days=rng.randrange(183)), "in_invoice", rng.choice(vendors)) for _ in range(bills)]
    )
    for day, move_type, partner in plan:
        add_invoice(env, rng, move_type, partner, day, products, rng.choice([1, 2, 4, 4, 5]), end)
    for day in (start + timedelta(days=60), end - timedelta(days=20)):  # two credit notes
        refund = acc.create_moves(
            env,
            [
                {
                    "move_type": "out_refund",
                    "partner_id": customers[3],
                    "invoice_date": day.isoformat(),
                    "invoice_line_ids": [(0, 0, {"product_id": products[0], "quantity": 2})],
                }
            ],
        )[0]
        post_with_terms(env, [refund])
    draft = acc.create_moves(
        env,
        [
            {
                "move_type": "out_invoice",
                "partner_id": customers[0],
                "invoice_line_ids": [(0, 0, {"product_id": products[4], "quantity": 1})],
            }
        ],
    )
    env.table("account.move")[str(draft[0])]["ref"] = "Draft awaiting review"
    _stamp(data, start)
    return data


def _stamp(data: State, start: date) -> None:
    """Creation times a real database would show (and a seed that does not depend on the clock)."""
    for model, table in data["models"].items():
        for rec in table.values():
            day = rec.get("date") or rec.get("invoice_date") or start.isoformat()
            if model == "account.move.line":
                day = data["models"]["account.move"][str(rec["move_id"])].get("date") or day
            rec["create_date"] = rec["write_date"] = f"{day} 09:00:00"


def bulk_invoices(data: State, version: int, count: int, end: date | None = None, seed: int = 1) -> None:
    """Add `count` posted customer invoices over the six months ending `end` (benchmarks)."""
    end = end or date.today()
    env = Env(data, version, rules=RULES)
    rng = random.Random(seed)
    customers = [
        int(k)
        for k, p in env.table("res.partner").items()
        if p.get("customer_rank") or p.get("email", "").startswith("accounts@")
    ] or [1]
    products = [int(k) for k in env.table("product.product")] or []
    if not products:
        products = _products(env)
    for _ in range(count):
        day = end - timedelta(days=rng.randrange(183))
        add_invoice(env, rng, "out_invoice", rng.choice(customers), day, products, rng.choice([1, 2, 4]), end)
