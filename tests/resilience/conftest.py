"""The resilience suite's figures: one row per scenario, printed at the end of the session and written to
benchmarks/results/resilience.json (the README's "Reliability" table comes from there)."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.orchestrator.conftest import ROOT
from tests.resilience.harness import FIGURES

COLUMNS = ("attempts", "survived", "lost", "duplicated", "executed_without_approval")
RESULTS = ROOT / "benchmarks" / "results" / "resilience.json"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("resilience figures")
    width = max(len(name) for name in FIGURES)
    write(f"{'scenario':<{width}}  " + "  ".join(f"{c:>10}" for c in COLUMNS) + "  notes")
    for name, row in FIGURES.items():
        cells = "  ".join(f"{row.get(c, ''):>10}" for c in COLUMNS)
        notes = ", ".join(f"{k}={v}" for k, v in row.items() if k not in COLUMNS and k != "untruthful" and v)
        write(f"{name:<{width}}  {cells}  {notes}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "command": "make test-resilience",
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "passed": exitstatus == 0,
                "scenarios": FIGURES,
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    write(f"written to {RESULTS.relative_to(ROOT)}")
