"""The Graph version floor: expired versions refused with their date, doctor warns 30 days ahead, and the
default lives at least another year (table: mcp_servers/graph/versions.py, reference §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mcp_servers.core.errors import ServiceError
from mcp_servers.facebook.sandbox import PAGE, build_emulator, state_for
from mcp_servers.facebook.settings import FacebookSettings
from mcp_servers.graph import versions
from mcp_servers.graph.client import DEFAULT_VERSION, GraphClient
from mcp_servers.graph.sandbox import EmulatorAdapter
from mcp_servers.instagram.settings import InstagramSettings
from orchestrator.doctor import graph_version_check


def test_v20_is_refused_with_its_end_date() -> None:
    with pytest.raises(ValueError, match=r"v20\.0 expired on 2026-09-24.*v25\.0"):
        versions.check("v20.0", date(2026, 12, 1))
    with pytest.raises(ValueError, match=r"v19\.0 expired on 2026-05-21"):
        versions.check("19.0", date(2026, 12, 1))
    assert versions.check("21.0", date(2026, 12, 1)) == "v21.0"


def test_settings_refuse_an_expired_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACEBOOK_API_VERSION", "v20.0")
    with pytest.raises(ValueError, match="expired on 2026-09-24"):
        FacebookSettings()
    monkeypatch.setenv("INSTAGRAM_API_VERSION", "v20.0")
    with pytest.raises(ValueError, match="expired on 2026-09-24"):
        InstagramSettings()


def test_doctor_warns_thirty_days_ahead() -> None:
    settings = FacebookSettings(api_version="v21.0")
    ok = graph_version_check("facebook", settings, date(2026, 12, 1))
    assert [c.level for c in ok] == ["ok"] and "2027-01-21" in ok[0].message
    [warn] = graph_version_check("facebook", settings, date(2026, 12, 23))
    assert warn.level == "warn" and "expires on 2027-01-21 (in 29 days)" in warn.message
    assert "FACEBOOK_API_VERSION=v25.0" in warn.fix
    assert graph_version_check("twitter", settings, date(2026, 12, 23)) == []


def test_the_default_lives_at_least_a_year() -> None:
    until = versions.end_date(DEFAULT_VERSION)
    assert until is not None and until - datetime.now(UTC).date() >= timedelta(days=365)


def test_the_emulator_refuses_an_expired_version_like_graph(tmp_path: Path) -> None:
    def clock() -> datetime:
        return datetime(2026, 12, 1, 12, tzinfo=UTC)

    adapter = EmulatorAdapter(build_emulator(state_for(tmp_path, clock), clock))
    client = GraphClient(label="Facebook", access_token="t", api_version="v20.0", adapter=adapter, read_attempts=1)
    with pytest.raises(ServiceError, match=r"no longer serves"):
        client.get(PAGE, {"fields": "id"})
    fresh = GraphClient(label="Facebook", access_token="t", api_version="v21.0", adapter=adapter, read_attempts=1)
    assert fresh.get(PAGE, {"fields": "id"})["id"] == PAGE
