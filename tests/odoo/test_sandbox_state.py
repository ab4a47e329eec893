"""The emulator's state and operations: persistence shared by two emulators over one file, the
seed, fault injection, and the standalone command line."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import xmlrpc.client
from pathlib import Path

import pytest

from mcp_servers.odoo.sandbox import write_faults
from mcp_servers.odoo.sandbox.seed import demo_state
from tests.odoo.conftest import Raw, start_emulator


def test_two_emulators_over_one_state_see_each_other(tmp_path: Path) -> None:
    a, url_a = start_emulator(tmp_path / "odoo.json", 19)
    b, url_b = start_emulator(tmp_path / "odoo.json", 19)
    try:
        ra, rb = Raw(a, url_a), Raw(b, url_b)
        pid = ra.call("res.partner", "create", [{"name": "Seen Across"}])
        assert rb.call("res.partner", "search", [[["name", "=", "Seen Across"]]]) == [pid]

        def create(emulator: object, url: str, tag: int) -> None:
            raw = Raw(emulator, url)  # type: ignore[arg-type]  # a proxy per thread: ServerProxy is not thread-safe
            for i in range(15):
                raw.call("res.partner", "create", [{"name": f"Concurrent {tag} {i}"}])

        threads = [
            threading.Thread(target=create, args=(e, u, n))
            for n, (e, u) in enumerate([(a, url_a), (b, url_b), (a, url_a), (b, url_b)])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert ra.call("res.partner", "search_count", [[["name", "=like", "Concurrent %"]]]) == 60
        assert a.api_key == b.api_key
    finally:
        a.stop()
        b.stop()


def test_seed_is_deterministic_for_a_day() -> None:
    one, two = demo_state(19), demo_state(19)
    one["meta"].pop("api_key"), two["meta"].pop("api_key")
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_empty_mode_is_a_fresh_database(empty_odoo: Raw) -> None:
    assert empty_odoo.call("account.move", "search_count", [[]]) == 0
    company = empty_odoo.call("res.company", "read", [[1], ["currency_id"]])[0]
    assert company["currency_id"] == [1, "USD"]
    taxes = empty_odoo.call("account.tax", "search_read", [[]], {"fields": ["amount", "type_tax_use"]})
    fifteen = [("purchase", 15.0), ("sale", 15.0)]
    zero = [("purchase", 0.0), ("sale", 0.0)] if empty_odoo.version >= 19 else []  # 19's 0% export/import
    assert sorted((t["type_tax_use"], t["amount"]) for t in taxes) == sorted(fifteen + zero)
    journals = empty_odoo.call("account.journal", "search_read", [[]], {"fields": ["type"]})
    cash = {"cash"} if empty_odoo.version < 19 else set()  # real 19's generic chart has no cash journal
    assert {j["type"] for j in journals} == {"sale", "purchase", "general", "bank", *cash}


class TestFaults:
    def test_injected_fault_codes(self, odoo19: Raw) -> None:
        for code in (1, 2, 3, 4):
            write_faults(
                odoo19.emulator.state.path, [{"kind": "fault", "code": code, "message": f"boom {code}", "times": 1}]
            )
            fault = odoo19.fault("res.partner", "search", [[]])
            assert (fault.faultCode, fault.faultString) == (code, f"boom {code}")
        assert odoo19.call("res.partner", "search_count", [[]]) > 0  # `times` used up

    def test_http_500_and_dropped_connection(self, odoo19: Raw) -> None:
        write_faults(
            odoo19.emulator.state.path,
            [{"kind": "http500", "method": "search", "times": 1}, {"kind": "drop", "method": "search_count"}],
        )
        with pytest.raises(xmlrpc.client.ProtocolError) as info:
            odoo19.call("res.partner", "search", [[]])
        assert info.value.errcode == 500
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):  # even after the stdlib's resend
            odoo19.call("res.partner", "search_count", [[]])

    def test_timeout_after_commit_commits(self, odoo19: Raw) -> None:
        write_faults(
            odoo19.emulator.state.path,
            [{"kind": "timeout_after_commit", "seconds": 2.0, "model": "res.partner", "method": "create"}],
        )
        slow = xmlrpc.client.ServerProxy(
            f"{odoo19.url}/xmlrpc/2/object", transport=_TimeoutTransport(0.3), allow_none=True
        )
        with pytest.raises(TimeoutError):
            slow.execute_kw("sandbox", 2, "admin", "res.partner", "create", [{"name": "Committed Anyway"}], {})
        assert odoo19.call("res.partner", "search_count", [[["name", "=", "Committed Anyway"]]]) == 1

    def test_faults_apply_to_json2(self, odoo19: Raw) -> None:
        write_faults(odoo19.emulator.state.path, [{"kind": "fault", "code": 4, "message": "no access"}])
        status, body = odoo19.json2("res.partner", "search", {"domain": []})
        assert status == 403 and body["message"] == "no access"


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: str) -> http.client.HTTPConnection:  # type: ignore[override]
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def test_standalone_cli(tmp_path: Path) -> None:
    state = tmp_path / "cli.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcp_servers.odoo.sandbox",
            "--port",
            "0",
            "--odoo-version",
            "17",
            "--state",
            str(state),
            "--empty",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        url = lines[0].split(" at ")[1].split()[0]
        key = lines[2].split(":", 1)[1].strip()
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        assert common.version()["server_version"] == "17.0"
        assert common.authenticate("sandbox", "admin", "admin", {}) == 2
        assert common.authenticate("sandbox", "admin", key, {}) == 2
        assert state.exists()
    finally:
        proc.terminate()
        proc.wait(5)
