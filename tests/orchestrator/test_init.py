"""`ai-employee init`: layout, a .env with a key, and a second run that changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mcp_servers.core.vault import FOLDERS
from orchestrator.cli import main


def snapshot(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
    return out


def test_init_creates_the_layout_and_an_env_with_a_key(tmp_path: Path) -> None:
    vault, env = tmp_path / "vault", tmp_path / ".env"
    assert main(["init", "--vault", str(vault), "--env-file", str(env)]) == 0
    for folder in FOLDERS:
        assert (vault / folder / "README.md").is_file()
    for note in ("Dashboard.md", "Company_Handbook.md", "Business_Goals.md"):
        assert (vault / note).is_file()
    settings = dict(
        line.split("=", 1) for line in env.read_text().splitlines() if "=" in line and not line.startswith("#")
    )
    assert len(settings["APPROVAL_SIGNING_KEY"]) >= 32
    assert settings["VAULT_PATH"] == str(vault.resolve())
    assert {k: v for k, v in settings.items() if k.endswith("_MODE")} == {
        "ODOO_MODE": "sandbox",
        "FACEBOOK_MODE": "sandbox",
        "INSTAGRAM_MODE": "sandbox",
        "TWITTER_MODE": "sandbox",
    }
    assert env.stat().st_mode & 0o077 == 0  # the key is readable by the owner only


def test_a_second_init_changes_no_file(tmp_path: Path, capsys) -> None:
    vault, env = tmp_path / "vault", tmp_path / ".env"
    main(["init", "--vault", str(vault), "--env-file", str(env)])
    (vault / "Business_Goals.md").write_text("my own goals")
    before = snapshot(vault, env)
    main(["init", "--vault", str(vault), "--env-file", str(env)])
    assert snapshot(vault, env) == before
    assert "Nothing to do" in capsys.readouterr().out


def test_two_inits_give_different_keys(tmp_path: Path) -> None:
    keys = []
    for name in ("a", "b"):
        env = tmp_path / f"{name}.env"
        main(["init", "--vault", str(tmp_path / name), "--env-file", str(env)])
        keys.append(next(ln for ln in env.read_text().splitlines() if ln.startswith("APPROVAL_SIGNING_KEY=")))
    assert keys[0] != keys[1]
