"""Scenarios for the audit tests: a fixture vault, fixture sources and a frozen clock each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core.vault import Vault
from skills.audit import Sources, Week, parse_week, run_weekly_audit, zone
from skills.audit.sources import SocialSource
from tests.skills.audit import build_vault
from tests.skills.audit.fakes import FixtureOdoo, FixtureSocial, load, social_sources

TZ = "America/New_York"
GOLDEN = Path(__file__).parent / "golden"


@dataclass
class Scenario:
    name: str
    week: str
    now: datetime
    empty_vault: bool = False
    odoo_data: dict[str, Any] | None = None
    odoo_down: bool = False
    social_data: dict[str, Any] | None = None

    def odoo_moves(self) -> dict[str, Any]:
        """The books as they stood at `now`: nothing dated later exists yet."""
        data = self.odoo_data if self.odoo_data is not None else load("odoo.json")
        today = self.now.astimezone(zone(TZ)).date().isoformat()
        return {
            "moves": [m for m in data["moves"] if m["date"] <= today],
            "payments": [p for p in data["payments"] if p["date"] <= today],
        }

    def social(self) -> dict[str, Any]:
        return self.social_data if self.social_data is not None else load("social.json")

    def sources(self) -> Sources:
        social: list[SocialSource] = list(social_sources(self.social()))
        return Sources(odoo=FixtureOdoo(self.odoo_moves(), down=self.odoo_down), social=social)

    def the_week(self) -> Week:
        return parse_week(self.week, zone(TZ))


_NO_POSTS = {name: {"token_expires_at": None, "posts": []} for name in ("Facebook", "X")}
SCENARIOS = {
    "normal_week": Scenario("normal_week", "2026-W02", datetime(2026, 1, 12, 3, 0, tzinfo=UTC)),
    "empty_week": Scenario(
        "empty_week",
        "2026-W02",
        datetime(2026, 1, 12, 3, 0, tzinfo=UTC),
        empty_vault=True,
        odoo_data={"moves": [], "payments": []},
        social_data=_NO_POSTS,
    ),
    "odoo_down": Scenario("odoo_down", "2026-W02", datetime(2026, 1, 12, 3, 0, tzinfo=UTC), odoo_down=True),
    "month_boundary": Scenario("month_boundary", "2026-W05", datetime(2026, 2, 2, 3, 0, tzinfo=UTC)),
}


@pytest.fixture(autouse=True)
def _zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", TZ)


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[Scenario], Vault]:
    def make(scenario: Scenario) -> Vault:
        return build_vault.build(tmp_path / f"vault-{scenario.name}", empty=scenario.empty_vault)

    return make


@pytest.fixture
def run_scenario(make_vault: Callable[[Scenario], Vault]) -> Callable[[Scenario], tuple[str, Any]]:
    def run(scenario: Scenario) -> tuple[str, Any]:
        vault = make_vault(scenario)
        result = run_weekly_audit(scenario.now, vault, scenario.sources(), week=scenario.the_week())
        return result.path.read_text("utf-8"), result

    return run


@pytest.fixture
def social_down() -> list[FixtureSocial]:
    return [FixtureSocial("X", {"posts": []}, down=True)]
