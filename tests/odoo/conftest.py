"""Fixtures for the Odoo tests: emulators per version over a temporary state, and raw wire helpers
(plain `xmlrpc.client` and HTTP) so fidelity tests do not depend on our own client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.sandbox import OdooEmulator


class Raw:
    """Speaks to an emulator the way any Odoo client would."""

    def __init__(self, emulator: OdooEmulator, url: str) -> None:
        self.emulator = emulator
        self.url = url
        self.version = emulator.version
        self.common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.obj = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(
        self,
        model: str,
        method: str,
        args: list[Any] | None = None,
        kwargs: dict[str, Any] | None = None,
        secret: str = "admin",
    ) -> Any:
        return self.obj.execute_kw("sandbox", 2, secret, model, method, args or [], kwargs or {})

    def fault(
        self, model: str, method: str, args: list[Any] | None = None, kwargs: dict[str, Any] | None = None
    ) -> xmlrpc.client.Fault:
        with pytest.raises(xmlrpc.client.Fault) as info:
            self.call(model, method, args, kwargs)
        return info.value

    def json2(self, model: str, method: str, body: dict[str, Any], key: str | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.url}/json/2/{model}/{method}",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"bearer {key or self.emulator.api_key}",
                "Content-Type": "application/json; charset=utf-8",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, raw.decode()

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def start_emulator(path: Path, version: int, empty: bool = False, saas: bool = False) -> tuple[OdooEmulator, str]:
    emulator = OdooEmulator(path, version, empty=empty, saas=saas)
    server = emulator.start()
    return emulator, server.url


class _Pool:
    """One emulator per (version, empty) for the session, its state restored before each test.

    Stopping a stdlib HTTP server waits out its 0.5 s poll interval, so tests reuse servers; a
    restored state file is reloaded by the emulator like any other process's write."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: dict[tuple[int, bool, bool], tuple[OdooEmulator, str, bytes]] = {}

    def get(self, version: int, empty: bool = False, saas: bool = False) -> Raw:
        key = (version, empty, saas)
        if key not in self.items:
            path = self.root / f"odoo{version}{'-empty' if empty else ''}{'-saas' if saas else ''}.json"
            emulator, url = start_emulator(path, version, empty, saas)
            emulator.state.snapshot()
            self.items[key] = (emulator, url, path.read_bytes())
        emulator, url, pristine = self.items[key]
        path = emulator.state.path
        with emulator.state.transaction() as data:  # restore under the state's own lock
            data.clear()
            data.update(json.loads(pristine))
        faults = path.with_name(path.name + ".faults.json")
        faults.unlink(missing_ok=True)
        return Raw(emulator, url)

    def close(self) -> None:
        for emulator, _, _ in self.items.values():
            emulator.stop()


@pytest.fixture(scope="session")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Pool]:
    p = _Pool(tmp_path_factory.mktemp("odoo-pool"))
    yield p
    p.close()


@pytest.fixture(params=[17, 18, 19], ids=lambda v: f"odoo{v}")
def odoo(request: pytest.FixtureRequest, pool: _Pool) -> Raw:
    """A demo-seeded emulator of each version, in its seeded state."""
    return pool.get(request.param)


@pytest.fixture
def odoo19(pool: _Pool) -> Raw:
    return pool.get(19)


@pytest.fixture
def saas_odoo(pool: _Pool) -> Raw:
    """Odoo Online: version_info ["saas~19", 4, ...] and the accountant module (payments wait `in_payment`)."""
    return pool.get(19, saas=True)


@pytest.fixture(params=[17, 19], ids=lambda v: f"odoo{v}")
def empty_odoo(request: pytest.FixtureRequest, pool: _Pool) -> Raw:
    """A fresh database (no demo data), where exact values are easy to state."""
    return pool.get(request.param, empty=True)


def client_for(
    raw: Raw, protocol: str = "auto", *, secret: str | None = None, timeout: float = 5.0, api_key: bool = True
) -> OdooClient:
    """Our client pointed at an emulator (API key by default; `secret="admin"` for a password)."""
    return OdooClient(
        Connection(
            url=raw.url,
            db="sandbox",
            login="admin",
            secret=secret or raw.emulator.api_key,
            protocol=protocol,
            timeout=timeout,
            secret_is_api_key=api_key,
        )
    )


@pytest.fixture
def client(odoo: Raw) -> OdooClient:
    """Our client on each version, with the protocol auto-detected."""
    return client_for(odoo)
