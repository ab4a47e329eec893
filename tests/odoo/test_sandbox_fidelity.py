"""The emulator as real Odoo 17/18/19 answered in the contract recordings (tests/odoo/contract): fields,
defaults, contact rules, domain semantics and fault texts. Each fact here was observed on a real server."""

from __future__ import annotations

import pytest

from tests.odoo.conftest import Raw


def test_real_stored_fields_exist_with_real_attributes(empty_odoo: Raw) -> None:
    spec = empty_odoo.call("res.partner", "fields_get", [["color", "commercial_partner_id", "category_id"]])
    assert spec["color"]["type"] == "integer"
    assert (spec["commercial_partner_id"]["type"], spec["commercial_partner_id"]["relation"]) == (
        "many2one",
        "res.partner",
    )
    assert (spec["category_id"]["type"], spec["category_id"]["relation"]) == ("many2many", "res.partner.category")
    company = empty_odoo.call("res.company", "read", [[1], ["account_sale_tax_id"]])[0]
    assert company["account_sale_tax_id"] == [1, "15%"]
    taxes = empty_odoo.call("account.tax", "search_read", [[]], {"fields": ["sequence"], "order": "sequence, id"})
    assert {t["sequence"] for t in taxes} == {1}
    product = empty_odoo.call("product.product", "fields_get", [["list_price"]], {"attributes": ["store"]})
    assert product["list_price"]["store"] is False  # related to the template on a real Odoo


def test_a_product_without_unit_or_taxes_gets_odoos_defaults(empty_odoo: Raw) -> None:
    pid = empty_odoo.call("product.product", "create", [{"name": "Widget"}])
    fields = ["type", "uom_id", "taxes_id", "supplier_taxes_id", "sale_ok", "purchase_ok", "list_price"]
    row = empty_odoo.call("product.product", "read", [[pid], fields])[0]
    assert (row["type"], row["uom_id"], row["taxes_id"], row["supplier_taxes_id"]) == ("consu", [1, "Units"], [1], [2])
    assert row["sale_ok"] and row["purchase_ok"] and row["list_price"] == 1.0


def test_a_contact_takes_its_companys_address_vat_and_name(empty_odoo: Raw) -> None:
    company = empty_odoo.call(
        "res.partner", "create", [{"name": "Acme", "is_company": True, "city": "Austin", "vat": "US1"}]
    )
    contact = empty_odoo.call("res.partner", "create", [{"name": "Ann", "parent_id": company}])
    invoice = empty_odoo.call("res.partner", "create", [{"name": "Billing", "parent_id": company, "type": "invoice"}])
    child = empty_odoo.call("res.partner", "create", [{"name": "Kid", "parent_id": contact}])
    rows = empty_odoo.call(
        "res.partner", "read", [[contact, invoice, child], ["city", "vat", "display_name", "commercial_partner_id"]]
    )
    assert [r["city"] for r in rows] == ["Austin", False, "Austin"]  # only a contact takes the address
    assert [r["vat"] for r in rows] == ["US1", "US1", "US1"]
    assert rows[2]["display_name"] == "Acme, Kid"  # the company's name, not the parent contact's
    assert {r["commercial_partner_id"][0] for r in rows} == {company}


def test_domain_semantics_as_real_odoo(empty_odoo: Raw) -> None:
    company = empty_odoo.call("res.partner", "create", [{"name": "Acme", "is_company": True}])
    contact = empty_odoo.call("res.partner", "create", [{"name": "Ann", "parent_id": company}])
    scope = [["id", "in", [company, contact]]]

    def search(domain: list) -> list[int]:
        return sorted(empty_odoo.call("res.partner", "search", [scope + domain]))

    assert search([["parent_id.name", "not ilike", "zzz"]]) == [contact]  # a dotted negation needs a parent
    assert search([["parent_id", "!=", company]]) == [company]  # a plain negation matches NULL
    assert sorted(empty_odoo.call("res.partner", "search", [[["parent_id", "child_of", company]]])) == [
        company,
        contact,
    ]


def test_exists_is_public_before_19_and_private_on_19(odoo: Raw) -> None:
    if odoo.version >= 19:
        fault = odoo.fault("res.partner", "exists", [[1, 999999]])
        assert fault.faultCode == 4 and "'res.partner.exists'" in fault.faultString
    else:
        assert odoo.call("res.partner", "exists", [[1, 999999]]) == [1]


@pytest.mark.parametrize(("version", "ending"), [(17, "Invalid leaf"), (19, "Invalid operator in condition")])
def test_bad_operator_text_per_version(pool: object, version: int, ending: str) -> None:
    raw = pool.get(version)  # type: ignore[attr-defined]
    assert raw.fault("res.partner", "search", [[["name", "like2", "x"]]]).faultString.endswith(
        f"{ending} ('name', 'like2', 'x')\n"
    )


def test_a_text_that_is_no_date_fails_as_on_each_version(odoo: Raw) -> None:
    fault = odoo.fault("account.move", "search", [[["invoice_date", "=", "not-a-date"]]])
    assert fault.faultCode == 1
    if odoo.version >= 19:
        assert fault.faultString.endswith("ValueError: Invalid term 'not-a-date' in expression date: 'not-a-date'\n")
    else:
        assert 'invalid input syntax for type date: "not-a-date"' in fault.faultString


def test_a_paid_invoice_has_its_receivable_items_and_the_payment_its_entry(empty_odoo: Raw) -> None:
    partner = empty_odoo.call("res.partner", "create", [{"name": "Acme", "is_company": True}])
    line = {"name": "Work", "quantity": 1, "price_unit": 200.0}
    move = empty_odoo.call(
        "account.move",
        "create",
        [{"move_type": "out_invoice", "partner_id": partner, "invoice_line_ids": [[0, 0, line]]}],
    )
    empty_odoo.call("account.move", "action_post", [[move]])
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = empty_odoo.call("account.payment.register", "create", [{"amount": 50.0}], {"context": ctx})
    empty_odoo.call("account.payment.register", "action_create_payments", [[wizard]], {"context": ctx})
    domain = [["account_id.account_type", "=", "asset_receivable"], ["parent_state", "=", "posted"]]
    items = empty_odoo.call(
        "account.move.line", "search_read", [domain], {"fields": ["debit", "credit", "amount_residual"], "order": "id"}
    )
    assert [(i["debit"], i["credit"], i["amount_residual"]) for i in items] == [(200.0, 0.0, 150.0), (0.0, 50.0, 0.0)]
    entries = empty_odoo.call(
        "account.move", "search_read", [[["move_type", "=", "entry"]]], {"fields": ["state", "partner_id"]}
    )
    assert [(e["state"], e["partner_id"][0]) for e in entries] == [("posted", partner)]


def test_partner_default_get_has_its_own_argument_name_before_19(odoo: Raw) -> None:
    if odoo.version >= 19:
        assert odoo.call("res.partner", "default_get", [], {"fields": ["type"]}) == {"type": "contact"}
        return
    fault = odoo.fault("res.partner", "default_get", [], {"fields_list": ["type"]})
    assert fault.faultString.endswith(
        "TypeError: Partner.default_get() got an unexpected keyword argument 'fields_list'\n"
    )
    assert odoo.call("res.partner", "default_get", [], {"default_fields": ["type"]}) == {"type": "contact"}
    assert odoo.call("account.move", "default_get", [], {"fields_list": ["state"]}) == {"state": "draft"}


def test_name_search_looks_where_odoo_looks_and_names_its_domain_per_version(odoo: Raw) -> None:
    pid = odoo.call("product.product", "create", [{"name": "Coded", "default_code": "CODE-7"}])
    assert odoo.call("product.product", "name_search", [], {"name": "CODE-7"}) == [[pid, "[CODE-7] Coded"]]
    partner = odoo.call("res.partner", "create", [{"name": "Zed", "email": "zed@mail.example"}])
    assert [partner, "Zed"] in odoo.call("res.partner", "name_search", [], {"name": "mail.example"})
    key = "domain" if odoo.version >= 19 else "args"  # 18.0 still says args
    found = odoo.call("res.partner", "name_search", [], {"name": "Zed", key: [["is_company", "=", True]]})
    assert found == []


def test_fields_get_reports_every_field_real_odoo_has(odoo: Raw) -> None:
    from mcp_servers.odoo.sandbox.fields import real_fields

    recorded = real_fields(odoo.version)
    assert recorded, "the recorded fields of this version are missing"
    for model, fields in recorded.items():
        spec = odoo.call(model, "fields_get", [], {"attributes": ["type", "relation", "required", "readonly", "store"]})
        wanted = {
            k: {a: v for a, v in f.items() if a in ("type", "relation", "required", "readonly", "store")}
            for k, f in fields.items()
        }
        assert {k: spec[k] for k in wanted if k in spec} == wanted and set(wanted) <= set(spec), model


def _posted_invoice(raw: Raw, partner: int, amount: float, day: str) -> int:
    line = {"name": "Work", "quantity": 1, "price_unit": amount, "tax_ids": []}
    vals = {"move_type": "out_invoice", "partner_id": partner, "invoice_date": day, "invoice_line_ids": [[0, 0, line]]}
    move = raw.call("account.move", "create", [vals])
    raw.call("account.move", "action_post", [[move]])
    return int(move)


def _pay(raw: Raw, move: int, amount: float) -> None:
    ctx = {"active_model": "account.move", "active_ids": [move]}
    wizard = raw.call("account.payment.register", "create", [{"amount": amount}], {"context": ctx})
    raw.call("account.payment.register", "action_create_payments", [[wizard]], {"context": ctx})


def test_payments_settle_rank_and_order_as_recorded(empty_odoo: Raw) -> None:
    partner = empty_odoo.call("res.partner", "create", [{"name": "Acme", "is_company": True}])
    move = _posted_invoice(empty_odoo, partner, 100.0, "2026-11-02")
    _pay(empty_odoo, move, 40.0)
    states = empty_odoo.call("account.payment", "search_read", [[]], {"fields": ["state"]})
    assert {p["state"] for p in states} == {"posted" if empty_odoo.version < 18 else "in_process"}
    _pay(empty_odoo, move, 60.0)
    states = empty_odoo.call("account.payment", "search_read", [[]], {"fields": ["state"]})
    assert {p["state"] for p in states} == {"posted" if empty_odoo.version < 18 else "paid"}
    rank = empty_odoo.call("res.partner", "read", [[partner], ["customer_rank"]])[0]["customer_rank"]
    assert rank == 3  # the invoice and each payment entry (receivable line) count
    if empty_odoo.version >= 18:
        matched = empty_odoo.call("account.move", "read", [[move], ["matched_payment_ids"]])[0]["matched_payment_ids"]
        assert matched == sorted(matched, reverse=True)  # the payments' order: date desc, name desc


def test_17_numbers_a_dated_draft_only_when_it_opens_the_period(pool: object) -> None:
    raw = pool.get(17, empty=True)  # type: ignore[attr-defined]
    line = [[0, 0, {"name": "Work", "price_unit": 10.0}]]
    first, second = (
        raw.call(
            "account.move",
            "create",
            [{"move_type": "out_invoice", "partner_id": 3, "invoice_date": "2026-11-02", "invoice_line_ids": line}],
        )
        for _ in range(2)
    )
    names = [r["name"] for r in raw.call("account.move", "read", [[first, second], ["name"]])]
    assert names == ["INV/2026/00001", "/"]
