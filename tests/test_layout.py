"""The shape every service shares, and settings documented where users look for them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mcp_servers.core.service import load_service
from mcp_servers.core.settings import SERVICES, CoreSettings, ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
SERVICE_FILES = (
    "__init__.py",
    "__main__.py",
    "const.py",
    "client.py",
    "models.py",
    "tools.py",
    "server.py",
)
EMULATOR = ("sandbox.py", "sandbox/__init__.py")  # a module, or a package once it outgrows one file


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_files(service: str) -> None:
    folder = ROOT / "mcp_servers" / service
    missing = [name for name in SERVICE_FILES if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in EMULATOR):
        missing.append(" or ".join(EMULATOR))
    assert not missing, f"mcp_servers/{service} lacks {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_client_modules_do_not_import_mcp(service: str) -> None:
    text = (ROOT / "mcp_servers" / service / "client.py").read_text()
    assert not re.search(r"^\s*(from|import) mcp\b", text, re.M), "client.py speaks only the remote API"


def _settings_classes() -> list[type[ServiceSettings]]:
    return [load_service(service).settings_cls for service in SERVICES]


def test_every_setting_is_documented_in_env_example() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    classes = _settings_classes()
    assert {c.model_config.get("env_prefix") for c in classes} >= {f"{s.upper()}_" for s in SERVICES}
    expected = {name.upper() for name in CoreSettings.model_fields}
    for cls in classes:
        expected |= {f"{cls.model_config.get('env_prefix', '')}{name}".upper() for name in cls.model_fields}
    missing = sorted(expected - documented)
    assert not missing, f".env.example lacks {missing}"
