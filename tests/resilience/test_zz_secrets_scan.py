"""Last in the suite: a scan of every vault the scenarios above used (all files, the hidden state, the
servers' and the orchestrator's logs, archives decompressed) for any credential or signing-key value."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from tests.resilience import harness

pytestmark = pytest.mark.resilience
# Headers that would carry a credential if a request were ever logged whole.
HEADER_LEAKS = re.compile(rb"Bearer\s+[A-Za-z0-9._~+/-]{12,}|oauth_signature=|oauth_token=\"")
EMULATOR_STATE = ("odoo.json", "facebook.json", "instagram.json", "twitter.json")


def _secrets(vault: Path) -> dict[str, bytes]:
    """Every secret value the processes on this vault knew."""
    found = {name: value.encode() for name, value in harness.CANARIES.items()}
    # init writes the key to the per-user file (tests/conftest.py points XDG_CONFIG_HOME into tmp_path)
    for settings in [vault.parent / ".env", *vault.parent.glob("xdg-config/ai-employee/config.env")]:
        for line in settings.read_text().splitlines() if settings.is_file() else []:
            if line.startswith("APPROVAL_SIGNING_KEY="):
                found["APPROVAL_SIGNING_KEY"] = line.split("=", 1)[1].strip().encode()
    odoo = vault / ".ai_employee" / "sandbox" / "odoo.json"
    if odoo.exists():  # the key our client logs in with; only the emulator (the "remote" side) may hold it
        found["sandbox Odoo API key"] = str(json.loads(odoo.read_text())["meta"]["api_key"]).encode()
    from mcp_servers.facebook.const import SANDBOX_TOKEN
    from mcp_servers.twitter.server import SANDBOX_CREDENTIALS

    found["sandbox Facebook token"] = SANDBOX_TOKEN.encode()
    found |= {f"sandbox X credential {n}": v.encode() for n, v in enumerate(SANDBOX_CREDENTIALS)}
    return found


def _emulator_state(name: str) -> bool:
    """An emulator's own state (it plays the remote service), or its temp copy a kill -9 left behind."""
    return any(name == state or (name.startswith(f".{state}.") and name.endswith(".tmp")) for state in EMULATOR_STATE)


def _files(tmp: Path) -> list[Path]:
    """The vault, and the orchestrator's own output next to it (run.log), never the settings files (they hold
    them)."""
    return [
        p for p in sorted(tmp.rglob("*")) if p.is_file() and not p.is_symlink() and p.name not in (".env", "config.env")
    ]


def test_no_secret_value_anywhere_in_the_vaults_and_logs() -> None:
    if not harness.VAULTS:
        pytest.skip("runs after the other resilience scenarios (make test-resilience)")
    scanned, leaks = 0, []
    for vault in dict.fromkeys(harness.VAULTS):
        secrets = _secrets(vault)
        for path in _files(vault.parent):
            if "hook" in path.parts or path.name.startswith("outside-"):
                continue  # the disk-full hook, and files the bad-file generator put outside the vault
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            scanned += 1
            remote = path.parent.name == "sandbox" and _emulator_state(path.name)
            for name, value in secrets.items():
                if value in data and not (remote and name.startswith("sandbox")):
                    leaks.append(f"{path.relative_to(vault.parent)}: {name}")
            if HEADER_LEAKS.search(data):
                leaks.append(f"{path.relative_to(vault.parent)}: an Authorization header")
    row = harness.record(
        "secrets scan of every vault and log",
        {
            "attempts": scanned,
            "survived": scanned - len({leak.split(":")[0] for leak in leaks}),
            "lost": len(leaks),
            "duplicated": 0,
            "vaults": len(set(harness.VAULTS)),
            "secrets_checked": len(_secrets(harness.VAULTS[0])),
            "leaks": leaks[:10],
        },
    )
    assert not leaks, row
