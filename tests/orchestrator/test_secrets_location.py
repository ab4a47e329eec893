"""Secrets live in the per-user file: doctor warns about a project .env that holds any, naming the
variables (never their values) and the command that moves them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_servers.core.settings import user_config_file
from orchestrator.doctor import secrets_check
from orchestrator.init import write_private


def test_doctor_warns_about_secrets_in_the_project_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("VAULT_PATH=./vault\nAPPROVAL_SIGNING_KEY=" + "s" * 40 + "\nFACEBOOK_PAGE_ACCESS_TOKEN=fb-tok-1\n")
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(env))
    check = secrets_check()
    assert check.level == "warn"
    assert "APPROVAL_SIGNING_KEY, FACEBOOK_PAGE_ACCESS_TOKEN" in check.message
    assert "ai-employee init --move-secrets" in check.fix and str(user_config_file()) in check.fix
    assert "s" * 40 not in check.message + check.fix and "fb-tok-1" not in check.message + check.fix


def test_doctor_is_content_with_empty_secret_lines_and_the_per_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text("VAULT_PATH=./vault\nTWITTER_ACCESS_TOKEN=\n")
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(env))
    write_private(user_config_file(), "APPROVAL_SIGNING_KEY=" + "u" * 40 + "\n")
    check = secrets_check()
    assert check.level == "ok" and str(user_config_file()) in check.message


def test_doctor_warns_about_a_per_user_file_others_can_read() -> None:
    write_private(user_config_file(), "APPROVAL_SIGNING_KEY=" + "u" * 40 + "\n")
    user_config_file().chmod(0o644)
    check = secrets_check()
    assert check.level == "warn" and f"chmod 600 {user_config_file()}" in check.fix


def test_the_orchestrator_hands_its_servers_the_secrets_of_the_per_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestrator.config import ServerSpec, child_env

    env = tmp_path / ".env"
    env.write_text("TWITTER_MODE=live\nTWITTER_ACCESS_TOKEN=old-from-env\nTWITTER_API_HOST=https://api.x.com\n")
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(env))
    write_private(user_config_file(), "TWITTER_ACCESS_TOKEN=tok-from-user-file\n")
    child = child_env(ServerSpec("twitter"), tmp_path / "vault", b"k" * 40)
    assert child["TWITTER_ACCESS_TOKEN"] == "tok-from-user-file"  # the per-user file wins over .env
    assert child["TWITTER_MODE"] == "live" and child["XDG_CONFIG_HOME"] == str(tmp_path / "xdg-config")
