"""Dashboard.md and status.json: what the owner and scripts read."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.vault import Vault
from orchestrator import dashboard
from orchestrator.config import OrchestratorSettings, ServerSpec, child_env, default_specs
from tests.orchestrator.conftest import make_request

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_dashboard_lists_pending_oldest_first_with_age_and_everything_else(vault: Vault, key: bytes) -> None:
    new, _ = make_request(vault, key, "new one", folder="Pending_Approval", now=NOW - timedelta(minutes=5))
    old, _ = make_request(vault, key, "old one", folder="Pending_Approval", now=NOW - timedelta(days=3))
    (vault.folder("Briefings") / "2026-11-23_Monday_Briefing.md").write_text("# briefing")
    (vault.folder("Needs_Action") / "2026-11-25_alert_server_odoo.md").write_text("down")
    AuditLog(vault).append("facebook.create_post", actor="mcp:facebook", now=NOW)
    servers = {"odoo": {"state": "failed", "pid": None, "restarts": 4, "mode": "sandbox"}}
    scheduled = [
        {"when": NOW + timedelta(hours=2), "file": "2026-11-25_social_media_post_abcd1234.md", "summary": "Post"}
    ]
    snapshot = dashboard.collect(vault, servers, scheduled, {"odoo": "failed to start"}, NOW)
    text = dashboard.render(snapshot, NOW)
    assert text.index(f"[[{old.file_name[:-3]}]]") < text.index(f"[[{new.file_name[:-3]}]]")
    assert "waiting 3 d" in text and "waiting 5 min" in text
    assert "| odoo | 🔴 failed | SANDBOX |" in text
    assert "[[2026-11-25_social_media_post_abcd1234]]" in text
    assert "| facebook.create_post | 1 |" in text
    assert "[[2026-11-25_alert_server_odoo]]" in text and "failed to start" in text
    assert "[[Briefings/2026-11-23_Monday_Briefing]]" in text
    dashboard.publish(vault, snapshot, NOW)
    assert (vault.root / "Dashboard.md").read_text() == text
    status = json.loads((vault.state_dir / "status.json").read_text())
    assert status["pending"] == 2 and status["scheduled"] == 1 and status["orchestrator_pid"] == os.getpid()


def test_status_without_a_running_orchestrator_says_down(vault: Vault, key: bytes) -> None:
    make_request(vault, key, "waiting", folder="Pending_Approval")
    make_request(vault, key, "later", scheduled_for=datetime.now(UTC) + timedelta(days=1))
    (vault.state_dir / "status.json").write_text(
        json.dumps(
            {"servers": {"odoo": {"state": "up", "pid": 1, "restarts": 0, "mode": "live"}}, "orchestrator_pid": 0}
        )
    )
    status = dashboard.read_status(vault)
    assert status == {
        "servers": {"odoo": {"state": "down", "pid": None, "restarts": 0, "mode": "live"}},
        "pending": 1,
        "approved": 0,
        "scheduled": 1,
        "last_briefing": None,
    }


def test_children_get_exactly_the_settings_they_need(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODOO_MODE", "live")
    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", "not-for-odoo")
    monkeypatch.setenv("UNRELATED_SECRET", "x")
    env = child_env(ServerSpec("odoo"), vault.root, b"k" * 40)
    assert env["ODOO_MODE"] == "live" and env["APPROVAL_SIGNING_KEY"] == "k" * 40
    assert env["VAULT_PATH"] == str(vault.root) and "AI_EMPLOYEE_ENV_FILE" in env
    assert "FACEBOOK_PAGE_ACCESS_TOKEN" not in env and "UNRELATED_SECRET" not in env


def test_servers_are_configurable_by_name_module_or_url(vault: Vault) -> None:
    settings = OrchestratorSettings(
        orchestrator_servers="odoo, fake=tests.core.fake_service, x",
        orchestrator_server_urls="x=http://127.0.0.1:9000/mcp",
    )
    specs = {s.name: s for s in default_specs(settings, vault.root)}
    assert specs["odoo"].args == ("-m", "mcp_servers.odoo", "--vault", str(vault.root))
    assert specs["fake"].args[:2] == ("-m", "tests.core.fake_service")
    assert specs["x"].url == "http://127.0.0.1:9000/mcp"
