"""Emulator fidelity for reads: values, the domain language, active_test, paging, default order,
metadata and both grouping shapes (reference odoo_api.md §6, §8)."""

from __future__ import annotations

import pytest

from tests.odoo.conftest import Raw


def _names(raw: Raw, domain: list, **kw: object) -> list[str]:
    return [r["name"] for r in raw.call("res.partner", "search_read", [domain], {"fields": ["name"], **kw})]


class TestValues:
    def test_empty_values_and_many2one_shape(self, empty_odoo: Raw) -> None:
        pid = empty_odoo.call("res.partner", "create", [{"name": "Acme", "phone": ""}])
        row = empty_odoo.call(
            "res.partner", "read", [[pid], ["email", "phone", "parent_id", "child_ids", "customer_rank", "company_id"]]
        )[0]
        assert row["email"] is False and row["phone"] == "" and row["parent_id"] is False
        assert row["child_ids"] == [] and row["customer_rank"] == 0
        assert empty_odoo.call("res.partner", "search", [[["phone", "=", False], ["id", "=", pid]]]) == []

    def test_many2one_is_id_and_name_or_bare_id_with_load_none(self, empty_odoo: Raw) -> None:
        row = empty_odoo.call("res.users", "read", [[2], ["partner_id"]])[0]
        assert row["partner_id"] == [3, "Administrator"]  # a fresh database, as real Odoo reads it
        assert empty_odoo.call("res.users", "read", [[2], ["partner_id"]], {"load": None})[0]["partner_id"] == 3

    def test_create_shapes(self, empty_odoo: Raw) -> None:
        assert isinstance(empty_odoo.call("res.partner", "create", [{"name": "One"}]), int)
        ids = empty_odoo.call("res.partner", "create", [[{"name": "A"}, {"name": "B"}]])
        assert isinstance(ids, list) and len(ids) == 2
        assert empty_odoo.call("res.partner", "write", [ids, {"email": "a@b.c"}]) is True
        assert empty_odoo.call("res.partner", "unlink", [ids]) is True

    def test_name_search(self, odoo: Raw) -> None:
        assert odoo.call("res.partner", "name_search", ["acme"], {"limit": 3}) == [[4, "Acme Corporation"]]

    def test_all_fields_when_fields_omitted(self, odoo: Raw) -> None:
        row = odoo.call("account.move", "read", [[1]])[0]
        assert {"name", "amount_total", "payment_state", "invoice_line_ids"} <= set(row)


class TestDomains:
    @pytest.mark.parametrize(
        ("domain", "expected"),
        [
            ([["name", "=", "Acme Corporation"]], ["Acme Corporation"]),
            ([["name", "like", "Acme"]], ["Acme Corporation"]),
            ([["name", "like", "acme"]], []),  # like is case-sensitive
            ([["name", "ilike", "acme"]], ["Acme Corporation"]),
            ([["name", "=like", "Acme%"]], ["Acme Corporation"]),
            ([["name", "=ilike", "acme%"]], ["Acme Corporation"]),
            ([["name", "=ilike", "acme"]], []),  # =ilike does not wrap
            (["|", ["name", "=", "Xenon Labs"], ["name", "=", "Lumen Optics"]], ["Lumen Optics", "Xenon Labs"]),
            (["!", ["name", "not ilike", "xenon"]], ["Xenon Labs"]),
            ([["name", "in", ["Xenon Labs", "Nope"]]], ["Xenon Labs"]),
            ([["name", "in", []]], []),
            ([["email", "=?", False], ["name", "=", "Xenon Labs"]], ["Xenon Labs"]),
        ],
    )
    def test_operators(self, odoo: Raw, domain: list, expected: list[str]) -> None:
        assert sorted(_names(odoo, domain)) == expected

    def test_not_in_empty_matches_everything(self, odoo: Raw) -> None:
        everything = odoo.call("res.partner", "search_count", [[]])
        assert odoo.call("res.partner", "search_count", [[["id", "not in", []]]]) == everything

    def test_many2one_by_name_and_dotted_path(self, odoo: Raw) -> None:
        by_id = odoo.call("account.move", "search_count", [[["partner_id", "=", 4]]])
        assert by_id > 0
        assert odoo.call("account.move", "search_count", [[["partner_id", "=", "Acme Corporation"]]]) == by_id
        assert odoo.call("account.move", "search_count", [[["partner_id", "ilike", "acme"]]]) == by_id
        assert odoo.call("account.move", "search_count", [[["partner_id.name", "=", "Acme Corporation"]]]) == by_id

    def test_many2one_false_matches_null(self, empty_odoo: Raw) -> None:
        # a fresh database: the company and the administrator (no parent); the archived ones are not counted
        assert empty_odoo.call("res.partner", "search_count", [[["parent_id", "=", False]]]) == 2
        pid = empty_odoo.call("res.partner", "create", [{"name": "Child", "parent_id": 1}])
        assert pid not in empty_odoo.call("res.partner", "search", [[["parent_id", "=", False]]])

    def test_comparisons_and_dates_as_strings(self, odoo: Raw) -> None:
        rows = odoo.call(
            "account.move",
            "search_read",
            [[["amount_total", ">=", 1000], ["invoice_date", "<", "2026-09-01"]]],
            {"fields": ["amount_total", "invoice_date"]},
        )
        assert rows and all(r["amount_total"] >= 1000 and r["invoice_date"] < "2026-09-01" for r in rows)

    def test_child_of(self, empty_odoo: Raw) -> None:
        child = empty_odoo.call("res.partner", "create", [{"name": "Child", "parent_id": 1}])
        assert sorted(empty_odoo.call("res.partner", "search", [[["id", "child_of", 1]]])) == [1, child]

    def test_active_test(self, empty_odoo: Raw) -> None:
        assert "OdooBot" not in _names(empty_odoo, [])
        assert "OdooBot" in _names(empty_odoo, [["active", "in", [True, False]]])
        assert "OdooBot" in _names(empty_odoo, [], context={"active_test": False})


class TestPaging:
    def test_limit_offset_order(self, odoo: Raw) -> None:
        all_names = _names(odoo, [["customer_rank", ">", 0]], order="name")
        assert all_names == sorted(all_names)
        assert _names(odoo, [["customer_rank", ">", 0]], order="name", limit=3, offset=2) == all_names[2:5]
        assert _names(odoo, [["customer_rank", ">", 0]], order="name desc", limit=1) == [all_names[-1]]
        assert _names(odoo, [], offset=10_000) == []

    def test_search_count_limit(self, odoo: Raw) -> None:
        assert odoo.call("account.move", "search_count", [[]], {"limit": 5}) == 5

    def test_default_order_of_moves_is_date_desc(self, odoo: Raw) -> None:
        rows = odoo.call("account.move", "search_read", [[["state", "=", "posted"]]], {"fields": ["date"], "limit": 50})
        dates = [r["date"] for r in rows]
        assert dates == sorted(dates, reverse=True)


class TestMetadata:
    def test_fields_get_with_attributes(self, odoo: Raw) -> None:
        meta = odoo.call("account.move", "fields_get", [], {"attributes": ["type", "string", "selection", "relation"]})
        assert meta["partner_id"] == {"type": "many2one", "string": "Partner", "relation": "res.partner"}
        states = [k for k, _ in meta["payment_state"]["selection"]]
        assert ("blocked" in states) == (odoo.version >= 18)

    def test_payment_model_by_version(self, odoo: Raw) -> None:
        meta = odoo.call("account.payment", "fields_get", [], {"attributes": ["selection"]})
        states = [k for k, _ in meta["state"]["selection"]]
        if odoo.version >= 18:
            assert states == ["draft", "in_process", "paid", "canceled", "rejected"] and "memo" in meta
        else:
            assert states == ["draft", "posted", "cancel"] and "ref" in meta

    def test_default_get_of_payment_wizard(self, odoo: Raw) -> None:
        assert set(odoo.call("account.payment.register", "default_get", [["payment_date", "amount"]])) == {
            "payment_date"
        }


class TestGrouping:
    DOMAIN = [["move_type", "=", "out_invoice"], ["state", "=", "posted"]]

    def test_read_group_non_lazy_by_month(self, odoo: Raw) -> None:
        rows = odoo.call(
            "account.move",
            "read_group",
            [self.DOMAIN, ["amount_untaxed_signed:sum"], ["invoice_date:month"]],
            {"lazy": False},
        )
        first = rows[0]
        assert set(first) == {"invoice_date:month", "__count", "amount_untaxed_signed", "__domain", "__range"}
        start = first["__range"]["invoice_date:month"]["from"]
        assert start.endswith("-01") and first["invoice_date:month"].split()[1] == start[:4]
        total = odoo.call("account.move", "search_read", [self.DOMAIN], {"fields": ["amount_untaxed_signed"]})
        assert round(sum(r["amount_untaxed_signed"] for r in rows), 2) == round(
            sum(r["amount_untaxed_signed"] for r in total), 2
        )

    def test_read_group_lazy_count_key_and_context(self, odoo: Raw) -> None:
        rows = odoo.call(
            "account.move", "read_group", [self.DOMAIN, ["amount_residual"], ["partner_id", "payment_state"]]
        )
        assert "partner_id_count" in rows[0] and rows[0]["__context"] == {"group_by": ["payment_state"]}
        assert isinstance(rows[0]["partner_id"], list) and len(rows[0]["partner_id"]) == 2

    def test_formatted_read_group_shape(self, odoo19: Raw) -> None:
        rows = odoo19.call(
            "account.move",
            "formatted_read_group",
            [self.DOMAIN, ["invoice_date:month", "partner_id"], ["amount_untaxed_signed:sum", "__count"]],
        )
        row = rows[0]
        assert set(row) == {
            "invoice_date:month",
            "partner_id",
            "amount_untaxed_signed:sum",
            "__count",
            "__extra_domain",
        }
        assert row["invoice_date:month"][0].endswith("-01") and len(row["partner_id"]) == 2

    def test_formatted_read_group_count_only_when_asked(self, odoo19: Raw) -> None:
        rows = odoo19.call("account.move", "formatted_read_group", [[], ["state"], ["amount_total:sum"]])
        assert all("__count" not in r for r in rows)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("res.company", ["name", "currency_id"]),
        ("res.currency", ["name", "symbol"]),
        ("res.users", ["name", "login"]),
        ("account.journal", ["name", "code", "type"]),
        ("account.tax", ["name", "amount", "type_tax_use"]),
        ("account.move.line", ["move_id", "price_subtotal", "parent_state"]),
        ("account.payment", ["name", "amount", "state"]),
        ("product.product", ["name", "default_code", "list_price", "taxes_id", "uom_id"]),
    ],
)
def test_every_emulated_model_answers(odoo: Raw, model: str, fields: list[str]) -> None:
    rows = odoo.call(model, "search_read", [[]], {"fields": fields, "limit": 2})
    assert rows and set(rows[0]) == {"id", *fields}
