"""Golden notes: a fixed vault, fixed source data and a frozen clock give exactly the stored note.

Regenerate after an intended change with `AUDIT_UPDATE_GOLDEN=1 pytest tests/skills/audit` and review
the diff of tests/skills/audit/golden/."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from skills.audit import run_weekly_audit
from tests.skills.audit.conftest import GOLDEN, SCENARIOS, Scenario

UPDATE = os.environ.get("AUDIT_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_note_matches_golden(name: str, run_scenario: Callable[[Scenario], tuple[str, Any]]) -> None:
    text, result = run_scenario(SCENARIOS[name])
    golden = GOLDEN / f"{name}.md"
    if UPDATE:
        golden.write_text(text, "utf-8")
    assert result.path.name == f"{SCENARIOS[name].the_week().briefing_date}_Monday_Briefing.md"
    assert text == golden.read_text("utf-8"), f"{name}: the note differs from {golden} (see module docstring)"


def test_rerun_rewrites_the_same_bytes(run_scenario: Callable[[Scenario], tuple[str, Any]]) -> None:
    scenario = SCENARIOS["normal_week"]
    text, first = run_scenario(scenario)
    again = run_weekly_audit(scenario.now, first.path.parents[1], scenario.sources(), week=scenario.the_week())
    assert again.path == first.path
    assert again.written is False
    assert again.path.read_text("utf-8") == text


def test_default_week_on_sunday_evening_is_the_week_ending_that_day(
    run_scenario: Callable[[Scenario], tuple[str, Any]],
) -> None:
    scenario = SCENARIOS["normal_week"]
    _, first = run_scenario(scenario)
    result = run_weekly_audit(scenario.now, first.path.parents[1], scenario.sources())
    assert result.week.label == "2026-W02"
    assert result.path.name == "2026-01-12_Monday_Briefing.md"
