"""`doctor` logs in to Odoo and names the wrong setting; errors say what is wrong and what to change
(issue 12, items 6 and 7)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pydantic import SecretStr

from mcp_servers.core.errors import InvalidInput
from mcp_servers.odoo.client_errors import LoginProblem
from mcp_servers.odoo.sandbox import write_faults
from mcp_servers.odoo.server import login_check
from mcp_servers.odoo.settings import OdooSettings
from orchestrator.doctor import service_checks
from tests.odoo.conftest import Raw, client_for


def _settings(raw: Raw, protocol: str, **change: str) -> OdooSettings:
    values = {"url": raw.url, "db": "sandbox", "username": "admin", "api_key": raw.emulator.api_key} | change
    return OdooSettings(
        mode="live",
        url=values["url"],
        db=values["db"],
        username=values["username"],
        api_key=SecretStr(values["api_key"]),
        protocol=protocol,  # type: ignore[arg-type]
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


CASES = [
    ({"db": "nosuchdb"}, "ODOO_DB"),
    ({"api_key": "wrong-key"}, "ODOO_API_KEY"),
    ({"url": "http://127.0.0.1:{port}"}, "ODOO_URL"),
]


@pytest.mark.parametrize(("change", "setting"), CASES, ids=["database", "key", "url"])
@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_login_check_names_the_wrong_setting(odoo19: Raw, protocol: str, change: dict, setting: str) -> None:
    change = {k: v.format(port=_closed_port()) for k, v in change.items()}
    ok, message, fix = login_check(_settings(odoo19, protocol, **change), timeout=2.0)
    assert not ok and setting in message, message
    assert fix
    if setting == "ODOO_API_KEY":
        assert "3 months" in fix and "Account Security" in fix


def test_login_check_names_a_wrong_login_over_xmlrpc(odoo: Raw) -> None:
    ok, message, _ = login_check(_settings(odoo, "xmlrpc", username="nobody@example.com"), timeout=2.0)
    assert not ok and "ODOO_USERNAME" in message


def test_json2_key_of_another_user_is_reported(odoo19: Raw) -> None:
    ok, message, fix = login_check(_settings(odoo19, "json2", username="someone@else.com"), timeout=2.0)
    assert not ok and "ODOO_USERNAME" in message and "ODOO_USERNAME" in fix


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_login_check_ok(odoo19: Raw, protocol: str) -> None:
    ok, message, _ = login_check(_settings(odoo19, protocol), timeout=2.0)
    assert ok and "logged in to Odoo 19.0" in message and "3 months" in message


def test_doctor_fails_on_a_wrong_database(odoo: Raw, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "ODOO_MODE": "live",
        "ODOO_URL": odoo.url,
        "ODOO_DB": "typo",
        "ODOO_USERNAME": "admin",
        "ODOO_API_KEY": odoo.emulator.api_key,
    }.items():
        monkeypatch.setenv(name, value)
    checks = [c for c in service_checks("odoo", network=True) if "login" in c.message]
    assert [c.level for c in checks] == ["fail"] and "ODOO_DB" in checks[0].message


def test_wrong_database_error_says_so(odoo: Raw) -> None:
    for protocol in ("xmlrpc", "json2") if odoo.version >= 19 else ("xmlrpc",):
        client = client_for(odoo, protocol)
        client.conn = client.conn.__class__(**{**client.conn.__dict__, "db": "typo"})
        with pytest.raises(LoginProblem, match="database 'typo'") as info:
            client.read("res.users", "context_get")
        assert info.value.setting == "ODOO_DB" and "ODOO_PROTOCOL" not in info.value.message


def test_a_bad_value_in_a_filter_says_what_to_change(odoo19: Raw) -> None:
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 332, in execute\n'
        "    res = self._obj.execute(query, params)\n"
        'psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type date: "last week"\n'
        'LINE 1: ..."account_move"."invoice_date" >= \'last week\')\n'
        "                                             ^\n"
    )
    write_faults(odoo19.emulator.state.path, [{"kind": "fault", "code": 1, "message": traceback}])
    client = client_for(odoo19, "xmlrpc")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD") as info:
        client.search_read("account.move", [["invoice_date", ">=", "last week"]], ["name"])
    assert "invalid input syntax for type date" in info.value.message and "internal error" not in info.value.message
