"""`ai-employee audit`: which week it picks, where it writes, and plain refusals."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from orchestrator.cli import build_parser
from orchestrator.commands import audit as command
from skills.audit import Sources
from tests.skills.audit import build_vault


@pytest.fixture
def fixture_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    vault = build_vault.build(tmp_path / "v")
    # No connectors in these tests: the note must still be written, saying so.
    monkeypatch.setattr("skills.audit.adapters.default_sources", lambda v: Sources(unavailable={"Odoo": "off"}))
    return vault.root


def _run(argv: list[str], now: datetime) -> int:
    args = build_parser().parse_args(["audit", *argv])
    return command.run(args, now=now)


MONDAY_MORNING = datetime(2026, 1, 12, 13, 0, tzinfo=UTC)  # 08:00 in New York


@pytest.mark.parametrize(
    ("argv", "briefing"),
    [([], "2026-01-12"), (["--now"], "2026-01-19"), (["--week", "2026-W01"], "2026-01-05")],
)
def test_week_choice(fixture_vault: Path, argv: list[str], briefing: str, capsys: Any) -> None:
    assert _run(["--vault", str(fixture_vault), *argv], MONDAY_MORNING) == 0
    assert (fixture_vault / "Briefings" / f"{briefing}_Monday_Briefing.md").exists()
    out = capsys.readouterr().out
    assert "written" in out and "not available this time: Odoo" in out


def test_rerun_reports_unchanged(fixture_vault: Path, capsys: Any) -> None:
    _run(["--vault", str(fixture_vault)], MONDAY_MORNING)
    _run(["--vault", str(fixture_vault)], MONDAY_MORNING)
    assert "(unchanged;" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--week", "2026-02"], "is not an ISO week"),
        (["--week", "2026-W60"], "not a week of that year"),
        (["--week", "2027-W10"], "has not started yet"),
    ],
)
def test_refusals(fixture_vault: Path, argv: list[str], message: str, capsys: Any) -> None:
    assert _run(["--vault", str(fixture_vault), *argv], MONDAY_MORNING) == 2
    assert message in capsys.readouterr().err


def test_missing_vault(tmp_path: Path, capsys: Any) -> None:
    assert _run(["--vault", str(tmp_path / "nowhere")], MONDAY_MORNING) == 2
    assert "ai-employee init" in capsys.readouterr().err


def test_week_and_now_are_exclusive() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["audit", "--week", "2026-W02", "--now"])
    assert isinstance(build_parser().parse_args(["audit"]), argparse.Namespace)
