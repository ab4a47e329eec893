"""The ORM edge-case part of the contract recording: domain operators (negations on NULL included),
`child_of`/`parent_of`, dotted paths, ordering with NULLs, `limit=0`, `active_test`, `name_search`,
`read` of missing ids, `exists`, defaults, and the faults the tools can meet."""

from __future__ import annotations

from typing import Any

from tests.odoo.contract_orm_more import more_edges
from tests.odoo.contract_scenario import MISSING_ID, Run, other_client

P = "res.partner"
FIELDS = ["name", "email", "parent_id", "active"]


def orm_edges(run: Run) -> None:
    ids = run.ids
    made = run.raw(
        "create contacts",
        P,
        "create",
        vals_list=[
            {"name": "Contract Contact A1", "parent_id": ids["customer"], "email": "a1@contract.example"},
            {"name": "Contract Contact A2", "parent_id": ids["customer"], "type": "invoice"},
            {"name": "Contract Archived", "active": False, "phone": "+1 555 0100"},
        ],
    )
    if isinstance(made, list) and len(made) == 3:
        ids.update(a1=made[0], a2=made[1], archived=made[2])
    run.raw(
        "create grandchild", P, "create", vals_list=[{"name": "Contract Grandchild", "parent_id": ids.get("a1", 0)}]
    )
    _domains(run)
    _hierarchy_and_order(run)
    _records(run)
    _schema(run)
    more_edges(run)
    _faults(run)


def _search(run: Run, label: str, domain: list[Any], **kw: Any) -> Any:
    scope: list[Any] = [["name", "=like", "Contract%"]]
    return run.raw(label, P, "search_read", domain=scope + domain, fields=["name"], order="id", **kw)


def _domains(run: Run) -> None:
    cust = run.ids["customer"]
    cases: list[tuple[str, list[Any]]] = [
        ("email = False", [["email", "=", False]]),
        ("email != False", [["email", "!=", False]]),
        ("email not ilike", [["email", "not ilike", "a1@"]]),
        ("email not like", [["email", "not like", "contract"]]),
        ("email != value", [["email", "!=", "a@contract.example"]]),
        ("parent_id != id (NULL parents)", [["parent_id", "!=", cust]]),
        ("parent_id not in", [["parent_id", "not in", [cust]]]),
        ("ref not in", [["ref", "not in", ["x"]]]),
        ("email in [False]", [["email", "in", [False]]]),
        ("email in [False, value]", [["email", "in", [False, "a@contract.example"]]]),
        ("name =ilike", [["name", "=ilike", "contract contact%"]]),
        ("name ilike", [["name", "ilike", "contact a"]]),
        ("not & |", ["!", "|", ["email", "=", False], ["is_company", "=", True]]),
        ("dotted parent name", [["parent_id.name", "ilike", "customer a"]]),
        ("dotted negation", [["parent_id.name", "not ilike", "customer"]]),
        ("dotted country code", [["parent_id.city", "=", "Austin"]]),
        ("id in []", [["id", "in", []]]),
        ("id not in []", [["id", "not in", []]]),
        ("active in both", [["active", "in", [True, False]]]),
        ("x2many child_ids =", [["child_ids", "!=", False]]),
        ("x2many child_ids.name", [["child_ids.name", "ilike", "A1"]]),
        ("customer_rank >", [["customer_rank", ">", 0]]),
        ("create_date set", [["create_date", "!=", False]]),
    ]
    for label, domain in cases:
        _search(run, label, domain)
    moves = "account.move"
    run.raw(
        "move dotted partner",
        moves,
        "search_read",
        domain=[["partner_id.name", "ilike", "Contract"]],
        fields=["name", "move_type"],
        order="id",
    )
    run.raw(
        "move amount >= and date",
        moves,
        "search_count",
        domain=[["amount_total", ">=", 100], ["invoice_date", "<", "2100-01-01"]],
    )
    run.raw(
        "line account type",
        "account.move.line",
        "search_read",
        domain=[["account_id.account_type", "=", "asset_receivable"], ["parent_state", "=", "posted"]],
        fields=["debit", "credit", "amount_residual", "partner_id"],
        order="id",
    )


def _hierarchy_and_order(run: Run) -> None:
    cust, a1 = run.ids["customer"], run.ids.get("a1", 0)
    run.raw("child_of", P, "search", domain=[["id", "child_of", cust]], order="id")
    run.raw("child_of list", P, "search", domain=[["id", "child_of", [cust, MISSING_ID]]], order="id")
    run.raw("parent_of", P, "search", domain=[["id", "parent_of", a1]], order="id")
    run.raw("parent_id child_of", P, "search", domain=[["parent_id", "child_of", cust]], order="id")
    for order in (
        "email, id",
        "email desc, id",
        "parent_id, name",
        "parent_id desc, id desc",
        "name desc",
    ):  # ties: PG heap order
        scope = [["name", "=like", "Contract%"]]
        run.raw(f"order {order}", P, "search_read", domain=scope, fields=["name", "email"], order=order)
    run.raw("limit 0", P, "search", domain=[["name", "=like", "Contract%"]], limit=0, order="id")
    run.raw("offset 2 limit 2", P, "search", domain=[["name", "=like", "Contract%"]], offset=2, limit=2, order="id")
    run.raw("count", P, "search_count", domain=[["name", "=like", "Contract%"]])
    run.raw(
        "active_test false",
        P,
        "search",
        domain=[["name", "=like", "Contract%"]],
        order="id",
        context={"active_test": False},
    )
    run.raw("active = False", P, "search", domain=[["active", "=", False], ["name", "=like", "Contract%"]], order="id")
    run.raw("name_search", P, "name_search", name="Contract Contact", limit=5)
    run.raw("name_search =", P, "name_search", name="Contract Vendor B", operator="=", limit=5)
    run.raw("name_search empty", P, "name_search", name="", limit=3)
    run.raw("name_search product", "product.product", "name_search", name="widget", limit=5)


def _records(run: Run) -> None:
    cust = run.ids["customer"]
    run.raw("read", P, "read", [cust], fields=[*FIELDS, "commercial_partner_id", "type", "is_company"])
    run.raw("read missing", P, "read", [MISSING_ID], fields=["name"])
    run.raw("read mixed", P, "read", [cust, MISSING_ID], fields=["name"])
    run.raw("exists", P, "exists", [cust, MISSING_ID])
    run.raw("write missing", P, "write", [MISSING_ID], vals={"name": "x"})
    run.raw("write ok", P, "write", [cust], vals={"phone": "+1 555 0101"})
    run.raw(
        "read product defaults",
        "product.product",
        "read",
        [run.ids["product"]],
        fields=["name", "type", "uom_id", "list_price", "taxes_id", "sale_ok", "purchase_ok", "default_code"],
    )
    arg = "fields" if run.client.version >= (19, 0) else "fields_list"
    partner_fields = ["active", "type", "is_company", "lang", "customer_rank"]
    run.raw("default_get partner", P, "default_get", **{arg: partner_fields})
    run.raw(
        "default_get move", "account.move", "default_get", **{arg: ["move_type", "state", "journal_id", "currency_id"]}
    )
    run.raw(
        "read company", "res.company", "read", [1], fields=["name", "currency_id", "partner_id", "account_sale_tax_id"]
    )
    run.raw(
        "taxes",
        "account.tax",
        "search_read",
        domain=[],
        fields=["name", "amount", "type_tax_use", "sequence", "amount_type"],
        order="sequence, id",
    )
    run.raw("journals", "account.journal", "search_read", domain=[], fields=["name", "type", "code"], order="id")
    run.raw(
        "read_group moves",
        "account.move",
        "read_group",
        domain=[["state", "=", "posted"]],
        fields=["amount_untaxed_signed:sum"],
        groupby=["move_type"],
        lazy=False,
    )


def _schema(run: Run) -> None:
    attrs = ["type", "relation", "required", "readonly", "store"]
    wanted = {
        P: [
            "name",
            "color",
            "commercial_partner_id",
            "category_id",
            "parent_id",
            "child_ids",
            "email",
            "type",
            "active",
        ],
        "res.company": ["name", "currency_id", "partner_id", "account_sale_tax_id", "account_purchase_tax_id"],
        "account.tax": ["name", "amount", "sequence", "type_tax_use", "amount_type", "company_id"],
        "product.product": ["name", "uom_id", "list_price", "taxes_id", "default_code", "type"],
        "account.move": [
            "name",
            "move_type",
            "state",
            "payment_state",
            "partner_id",
            "invoice_date",
            "amount_residual",
        ],
    }
    for model, names in wanted.items():
        run.raw(f"fields_get {model}", model, "fields_get", allfields=names, attributes=attrs)


def _faults(run: Run) -> None:
    run.raw("bad field", P, "search_read", domain=[["no_such_field", "=", 1]], fields=["name"])
    run.raw("bad read field", P, "read", [run.ids["customer"]], fields=["no_such_field"])
    run.raw("bad operator", P, "search", domain=[["name", "like2", "x"]])
    run.raw("bad selection value", P, "create", vals_list=[{"name": "Contract Bad", "type": "bogus"}])
    run.raw("bad date value", "account.move", "search", domain=[["invoice_date", "=", "not-a-date"]])
    run.raw("unknown model", "x.no.model", "search", domain=[])
    run.raw("unknown method", P, "no_such_method", [run.ids["customer"]])
    run.raw("private method", P, "_compute_display_name", [run.ids["customer"]])
    run.raw("post posted", "account.move", "action_post", [run.ids["invoice"]])
    wrong_key = other_client(run.client, secret="wrong-key-0000")
    run.step("orm", "wrong key", lambda: wrong_key.call(P, "search", domain=[], limit=1))
    wrong_db = other_client(run.client, db="no_such_db")
    run.step("orm", "wrong db", lambda: wrong_db.call(P, "search", domain=[], limit=1))
