"""Fixtures every test may use: a fresh vault with a signing key, and the anyio backend."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcp_servers.core.vault import Vault

TEST_KEY = "test-signing-key-" + "0" * 32


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's .env or real credentials: settings come only from what it sets."""
    for name in list(os.environ):
        if name.split("_", 1)[0] in {"ODOO", "FACEBOOK", "INSTAGRAM", "TWITTER", "POLICY"} or name in {
            "VAULT_PATH",
            "APPROVAL_SIGNING_KEY",
            "TIMEZONE",
        }:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # never the owner's per-user file
    monkeypatch.setenv("APPROVAL_SIGNING_KEY", TEST_KEY)
    yield


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Vault:
    v = Vault(tmp_path / "vault")
    v.ensure_layout()
    monkeypatch.setenv("VAULT_PATH", str(v.root))
    return v


@pytest.fixture
def signing_key() -> bytes:
    return TEST_KEY.encode()


@pytest.fixture
def random_key() -> bytes:
    return secrets.token_hex(32).encode()
