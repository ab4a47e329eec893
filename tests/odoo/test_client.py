"""The client: protocol choice, authentication, fault mapping without internals, None results,
retried reads, never-retried writes, grouping by version."""

from __future__ import annotations

import socket

import pytest

from mcp_servers.core.errors import (
    Ambiguous,
    AuthError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    Unavailable,
)
from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.sandbox import write_faults
from tests.odoo.conftest import Raw, client_for


def test_protocol_is_chosen_by_probing_web_version(odoo: Raw) -> None:
    client = client_for(odoo)
    client.status()
    assert client.protocol == ("json2" if odoo.version >= 19 else "xmlrpc")
    assert client.version == (odoo.version, 0)


def test_protocol_override_and_password(odoo19: Raw) -> None:
    forced = client_for(odoo19, "xmlrpc")
    assert forced.status()["protocol"] == "xmlrpc" and forced.uid == 2
    password = client_for(odoo19, secret="admin", api_key=False)
    assert password.status()["protocol"] == "xmlrpc"  # JSON-2 needs an API key
    assert password.count("res.partner", []) == forced.count("res.partner", [])


def test_json2_forced_on_an_old_odoo_says_what_to_do(pool: object) -> None:
    raw = pool.get(17)  # type: ignore[attr-defined]
    with pytest.raises(ServiceError, match="ODOO_PROTOCOL=xmlrpc"):
        client_for(raw, "json2").status()


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_bad_credentials(odoo19: Raw, protocol: str) -> None:
    client = client_for(odoo19, protocol, secret="wrong-key")
    with pytest.raises(AuthError, match="ODOO_API_KEY"):
        client.count("res.partner", [])


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
@pytest.mark.parametrize(("code", "error"), [(1, ServiceError), (2, Conflict), (3, AuthError), (4, PermissionDenied)])
def test_injected_faults_map_to_the_error_tree(odoo19: Raw, protocol: str, code: int, error: type) -> None:
    client = client_for(odoo19, protocol)
    client.status()
    text = (
        (
            'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/http.py", line 1\n'
            "RuntimeError: boom"
        )
        if code == 1
        else "Something refused"
    )
    write_faults(odoo19.emulator.state.path, [{"kind": "fault", "code": code, "message": text}])
    with pytest.raises(error) as info:
        client.call("res.partner", "write", [1], vals={"name": "x"})
    assert "Traceback" not in str(info.value) and "/usr/lib" not in str(info.value)


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_real_faults(odoo19: Raw, protocol: str) -> None:
    client = client_for(odoo19, protocol)
    with pytest.raises(InvalidInput, match="Invalid field") as info:
        client.search_read("res.partner", [["nofield", "=", 1]], ["name"])
    assert "Traceback" not in str(info.value) and ".py" not in str(info.value)
    with pytest.raises(NotFound):
        client.call("res.partner", "write", [999999], vals={"name": "x"})
    with pytest.raises(Conflict, match="posted journal item"):
        client.call("account.move", "unlink", [1])


def test_none_result_means_committed(odoo: Raw) -> None:
    client = client_for(odoo, "xmlrpc")
    move = client.call("account.move", "create", vals_list=[{"move_type": "out_invoice", "partner_id": 4}])[0]
    assert client.call("account.move", "button_cancel", [move]) is None
    assert client.read_ids("account.move", [move], ["state"])[0]["state"] == "cancel"


def test_reads_are_retried(odoo19: Raw) -> None:
    client = client_for(odoo19)
    client.status()
    write_faults(odoo19.emulator.state.path, [{"kind": "drop", "method": "search_count", "times": 2}])
    before = client.rpc_count
    assert client.count("res.partner", []) > 0
    assert client.rpc_count - before == 3


def test_reads_fail_clearly_when_odoo_is_down() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = OdooClient(Connection(url=f"http://127.0.0.1:{port}", db="x", login="a", secret="k"))
    with pytest.raises(Unavailable, match="cannot be reached"):
        client.count("res.partner", [])
    assert client.rpc_count == 3  # three attempts, then the error


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_a_write_is_never_sent_twice(odoo19: Raw, protocol: str) -> None:
    client = client_for(odoo19, protocol, timeout=0.5)
    client.status()
    write_faults(
        odoo19.emulator.state.path,
        [{"kind": "timeout_after_commit", "seconds": 2.0, "model": "res.partner", "method": "create"}],
    )
    before = client.rpc_count
    with pytest.raises(Ambiguous, match="not sent again"):
        client.call("res.partner", "create", vals_list=[{"name": "Exactly Once"}])
    assert client.rpc_count - before == 1
    assert client.count("res.partner", [["name", "=", "Exactly Once"]]) == 1  # committed, once


def test_a_dropped_write_is_ambiguous_not_retried(odoo19: Raw) -> None:
    client = client_for(odoo19)
    client.status()
    write_faults(odoo19.emulator.state.path, [{"kind": "drop", "method": "create"}])
    before = client.rpc_count
    with pytest.raises(Ambiguous):
        client.call("res.partner", "create", vals_list=[{"name": "Dropped"}])
    assert client.rpc_count - before == 1


def test_server_500_on_a_read_is_unavailable(odoo19: Raw) -> None:
    client = client_for(odoo19, "xmlrpc")
    client.status()
    write_faults(odoo19.emulator.state.path, [{"kind": "http500"}])
    with pytest.raises(Unavailable, match="HTTP 500"):
        client.count("res.partner", [])


def test_grouping_is_one_rpc_and_the_same_on_every_version(pool: object) -> None:
    domain = [["move_type", "=", "out_invoice"], ["state", "=", "posted"]]
    results = []
    for version in (17, 18, 19):
        client = client_for(pool.get(version))  # type: ignore[attr-defined]
        client.status()
        before = client.rpc_count
        rows = client.group("account.move", domain, ["invoice_date:month", "partner_id"], ["amount_total:sum"])
        assert client.rpc_count - before == 1
        results.append(
            sorted((r["invoice_date:month"], r["partner_id"][1], r["amount_total:sum"], r["__count"]) for r in rows)
        )
    assert results[0] == results[1] == results[2]
