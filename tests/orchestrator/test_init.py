"""`ai-employee init`: layout, a .env without secrets, the key in the per-user file (mode 600), and a second
run that changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mcp_servers.core.settings import CoreSettings, user_config_file
from mcp_servers.core.vault import FOLDERS
from orchestrator.cli import main


def values(path: Path) -> dict[str, str]:
    return dict(ln.split("=", 1) for ln in path.read_text().splitlines() if "=" in ln and not ln.startswith("#"))


def snapshot(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
    return out


def test_init_creates_the_layout_an_env_and_the_key_in_the_per_user_file(tmp_path: Path) -> None:
    vault, env = tmp_path / "vault", tmp_path / ".env"
    assert main(["init", "--vault", str(vault), "--env-file", str(env)]) == 0
    for folder in FOLDERS:
        assert (vault / folder / "README.md").is_file()
    for note in ("Dashboard.md", "Company_Handbook.md", "Business_Goals.md"):
        assert (vault / note).is_file()
    settings = values(env)
    assert "APPROVAL_SIGNING_KEY" not in settings
    assert not [name for name in settings if name.endswith(("_TOKEN", "_SECRET", "_KEY", "_PASSWORD"))]
    assert settings["VAULT_PATH"] == str(vault.resolve())
    assert {k: v for k, v in settings.items() if k.endswith("_MODE")} == {
        "ODOO_MODE": "sandbox",
        "FACEBOOK_MODE": "sandbox",
        "INSTAGRAM_MODE": "sandbox",
        "TWITTER_MODE": "sandbox",
    }
    user = user_config_file()
    assert user.parent.parent == tmp_path / "xdg-config"  # outside the project folder and the vault
    assert len(values(user)["APPROVAL_SIGNING_KEY"]) >= 32
    assert user.stat().st_mode & 0o777 == 0o600 and user.parent.stat().st_mode & 0o777 == 0o700
    assert "# FACEBOOK_PAGE_ACCESS_TOKEN=" in user.read_text()  # a placeholder, never an empty override


def test_settings_read_the_environment_then_the_per_user_file_then_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / "project.env"
    env.write_text("APPROVAL_SIGNING_KEY=" + "p" * 40 + "\nCOMPANY_CURRENCY=EUR\nTIMEZONE=Europe/Paris\n")
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(env))
    monkeypatch.delenv("APPROVAL_SIGNING_KEY")
    user = user_config_file()
    user.parent.mkdir(parents=True)
    user.write_text("APPROVAL_SIGNING_KEY=" + "u" * 40 + "\nCOMPANY_CURRENCY=GBP\n")
    monkeypatch.setenv("COMPANY_CURRENCY", "CHF")
    settings = CoreSettings()
    assert settings.signing_key() == b"u" * 40  # the per-user file wins over .env
    assert settings.company_currency == "CHF"  # the environment wins over both
    assert settings.timezone == "Europe/Paris"  # .env still works


def test_xdg_config_home_moves_the_per_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert user_config_file() == tmp_path / "cfg" / "ai-employee" / "config.env"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_config_file() == tmp_path / "home" / ".config" / "ai-employee" / "config.env"


def test_an_old_env_keeps_its_key_and_move_secrets_moves_it(tmp_path: Path, capsys) -> None:
    vault, env = tmp_path / "vault", tmp_path / ".env"
    key, token = "k" * 48, "tw-secret-token-123"
    env.write_text(f"VAULT_PATH={vault}\nAPPROVAL_SIGNING_KEY={key}\nTWITTER_ACCESS_TOKEN={token}\nTWITTER_MODE=live\n")
    main(["init", "--vault", str(vault), "--env-file", str(env)])
    assert "APPROVAL_SIGNING_KEY" not in values(user_config_file())  # no second key: pending requests stay valid
    assert main(["init", "--vault", str(vault), "--env-file", str(env), "--move-secrets"]) == 0
    assert values(env) == {"VAULT_PATH": str(vault), "TWITTER_MODE": "live"}
    moved = values(user_config_file())
    assert moved["APPROVAL_SIGNING_KEY"] == key and moved["TWITTER_ACCESS_TOKEN"] == token
    assert user_config_file().stat().st_mode & 0o777 == 0o600
    assert "moved    APPROVAL_SIGNING_KEY, TWITTER_ACCESS_TOKEN" in capsys.readouterr().out


def test_a_second_init_changes_no_file(tmp_path: Path, capsys) -> None:
    vault, env = tmp_path / "vault", tmp_path / ".env"
    main(["init", "--vault", str(vault), "--env-file", str(env)])
    (vault / "Business_Goals.md").write_text("my own goals")
    before = snapshot(vault, env, user_config_file())
    main(["init", "--vault", str(vault), "--env-file", str(env)])
    assert snapshot(vault, env, user_config_file()) == before
    assert "Nothing to do" in capsys.readouterr().out


def test_two_users_get_different_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = []
    for name in ("a", "b"):
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / f"{name}-config"))
        main(["init", "--vault", str(tmp_path / name), "--env-file", str(tmp_path / f"{name}.env")])
        keys.append(values(user_config_file())["APPROVAL_SIGNING_KEY"])
    assert keys[0] != keys[1]
