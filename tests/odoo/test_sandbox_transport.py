"""Emulator fidelity, transport level: endpoints per version, auth, fault codes and JSON-2 errors
(reference odoo_api.md §2, §4, §5)."""

from __future__ import annotations

import xmlrpc.client

import pytest

from tests.odoo.conftest import Raw


def test_common_version_and_authenticate(odoo: Raw) -> None:
    info = odoo.common.version()
    assert info["server_version_info"][0] == odoo.version
    assert info["server_serie"] == f"{odoo.version}.0" and info["protocol_version"] == 1
    assert odoo.common.authenticate("sandbox", "admin", "admin", {}) == 2
    assert odoo.common.authenticate("sandbox", "admin", odoo.emulator.api_key, {}) == 2


def test_bad_credentials_return_false_not_a_fault(odoo: Raw) -> None:
    assert odoo.common.authenticate("sandbox", "admin", "wrong", {}) is False
    assert odoo.common.login("sandbox", "nobody", "admin") is False


def test_execute_kw_with_wrong_secret_is_fault_3(odoo: Raw) -> None:
    with pytest.raises(xmlrpc.client.Fault) as info:
        odoo.call("res.partner", "search", [[]], secret="wrong")
    assert info.value.faultCode == 3 and info.value.faultString == "Access Denied"


def test_web_version_and_json2_exist_only_from_19(odoo: Raw) -> None:
    status, ctype, body = odoo.get("/web/version")
    status2, _ = odoo.json2("res.partner", "search", {"domain": []})
    if odoo.version >= 19:
        assert status == 200 and '"version": "19.0"' in body
        assert status2 == 200
    else:
        assert status == 404 and ctype.startswith("text/html")
        assert status2 == 404


@pytest.mark.parametrize(
    ("model", "method", "args", "code", "text"),
    [
        ("no.such.model", "search", [[]], 2, "Object no.such.model doesn't exist"),
        ("res.partner", "no_method", [[]], 1, "AttributeError: The method "),
        ("res.partner", "_read", [[1]], 4, "Private methods (such as "),
        ("res.partner", "search", [[["nofield", "=", 1]]], 1, "ValueError: Invalid field res.partner.nofield"),
        ("res.partner", "search", [[["name", "bogus", 1]]], 1, "ValueError: Invalid "),
        ("res.partner", "search", [["&", ["name", "=", "x"]]], 1, "is syntactically not correct"),
        ("res.partner", "search", [[], 0, None, "nofield desc"], 1, "Invalid field 'nofield'"),
        ("res.partner", "create", [{"name": "X", "type": "bogus"}], 1, "Wrong value for res.partner.type: 'bogus'"),
        ("res.partner", "create", [{"email": "x@y"}], 2, "Contacts require a name"),
        ("res.partner", "write", [[999999], {"name": "x"}], 2, "Record does not exist or has been deleted."),
    ],
)
def test_fault_codes(odoo: Raw, model: str, method: str, args: list, code: int, text: str) -> None:
    fault = odoo.fault(model, method, args)
    assert fault.faultCode == code
    assert text in fault.faultString
    if code == 1:
        assert fault.faultString.startswith("Traceback")


def test_fault_texts_are_each_versions_own(odoo: Raw) -> None:
    """As recorded from real Odoo 17, 18 and 19 (tests/odoo/contract): the final line differs by version."""
    new = odoo.version >= 18
    method = (
        "'res.partner.no_method' does not exist" if new else "'no_method' does not exist on the model 'res.partner'"
    )
    assert odoo.fault("res.partner", "no_method", [[]]).faultString.endswith(f"The method {method}\n")
    private = "'res.partner._read'" if new else "_read"
    assert (
        odoo.fault("res.partner", "_read", [[1]]).faultString
        == f"Private methods (such as {private}) cannot be called remotely."
    )
    leaf = "Invalid operator in condition" if odoo.version >= 19 else "Invalid leaf"
    assert odoo.fault("res.partner", "search", [[["name", "bogus", 1]]]).faultString.endswith(
        f"{leaf} ('name', 'bogus', 1)\n"
    )


def test_read_of_missing_id_is_empty_not_an_error(odoo: Raw) -> None:
    assert odoo.call("res.partner", "read", [[999999]], {"fields": ["name"]}) == []


def test_method_returning_none_faults_after_commit(odoo: Raw) -> None:
    move = odoo.call("account.move", "create", [{"move_type": "out_invoice", "partner_id": 4}])
    fault = odoo.fault("account.move", "button_cancel", [[move]])
    assert fault.faultCode == 1 and "cannot marshal None" in fault.faultString
    assert odoo.call("account.move", "read", [[move]], {"fields": ["state"]})[0]["state"] == "cancel"


def test_execute_positional_variant(odoo: Raw) -> None:
    ids = odoo.obj.execute("sandbox", 2, "admin", "res.partner", "search", [["name", "=", "Acme Corporation"]])
    assert len(ids) == 1


def test_grouping_method_by_version(odoo: Raw) -> None:
    if odoo.version >= 19:
        assert odoo.call("account.move", "formatted_read_group", [[], ["state"], ["__count"]])
    else:
        fault = odoo.fault("account.move", "formatted_read_group", [[], ["state"]])
        assert fault.faultCode == 1
        text = (
            "The method 'account.move.formatted_read_group' does not exist"  # Odoo 18's words
            if odoo.version == 18
            else "The method 'formatted_read_group' does not exist on the model 'account.move'"
        )
        assert text in fault.faultString


class TestJson2:
    def test_bare_result_and_create_returns_ids(self, odoo19: Raw) -> None:
        status, result = odoo19.json2(
            "res.partner", "search_read", {"domain": [["name", "ilike", "acme"]], "fields": ["name"], "limit": 5}
        )
        assert status == 200 and result == [{"id": 4, "name": "Acme Corporation"}]
        status, created = odoo19.json2("res.partner", "create", {"vals_list": [{"name": "Json Co"}]})
        assert status == 200 and isinstance(created, list) and len(created) == 1

    def test_bad_key_is_401(self, odoo19: Raw) -> None:
        status, body = odoo19.json2("res.partner", "search", {"domain": []}, key="nope")
        assert status == 401 and body["name"] == "werkzeug.exceptions.Unauthorized"
        assert body["message"] == "Invalid apikey"

    @pytest.mark.parametrize(
        ("model", "method", "body", "status", "name"),
        [
            ("res.partner", "search", {"domain": [], "bogus": 1}, 422, "builtins.TypeError"),
            ("res.partner", "search", {"ids": [1], "domain": []}, 422, "builtins.TypeError"),
            ("res.partner", "no_method", {}, 404, "werkzeug.exceptions.NotFound"),
            ("no.model", "search", {"domain": []}, 404, "werkzeug.exceptions.NotFound"),
            ("res.partner", "_read", {"ids": [1]}, 403, "odoo.exceptions.AccessError"),
            ("res.partner", "write", {"ids": [999999], "vals": {"name": "x"}}, 404, "odoo.exceptions.MissingError"),
            ("res.partner", "search", {"domain": [["nofield", "=", 1]]}, 500, "builtins.ValueError"),
            ("account.move", "unlink", {"ids": [1]}, 422, "odoo.exceptions.UserError"),
        ],
    )
    def test_errors(self, odoo19: Raw, model: str, method: str, body: dict, status: int, name: str) -> None:
        got, payload = odoo19.json2(model, method, body)
        assert got == status
        assert payload["name"] == name
        assert set(payload) == {"name", "message", "arguments", "context", "debug"}

    def test_ids_for_record_methods(self, odoo19: Raw) -> None:
        status, rows = odoo19.json2("res.partner", "read", {"ids": [4], "fields": ["name"]})
        assert status == 200 and rows == [{"id": 4, "name": "Acme Corporation"}]

    def test_bare_json2_path(self, odoo19: Raw) -> None:
        status, _ = odoo19.json2("x", "", {})
        assert status == 404
