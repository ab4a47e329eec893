"""Every exchange recorded from a real Odoo (tests/odoo/contract/<version>/) replayed against the
emulator of the same version: the answers must be the same after normalisation. No real Odoo needed.

Differences accepted for a while are listed, each with a cause, in contract/known_differences.json (none
today; see contract/README.md): a new difference fails, and so does a listed one that has become identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcp_servers.core.service import load_service
from tests.odoo.contract_replay import CONTRACT_DIR, Matcher, fixtures, replay
from tests.odoo.contract_wire import Norm

KNOWN: dict[str, dict[str, str]] = json.loads((CONTRACT_DIR / "known_differences.json").read_text("utf-8"))
CAUSES: set[str] = set()  # each cause a known difference may name, documented in contract/README.md
# Tools added after the fixtures were recorded; their steps are in contract_scenario.py, so the next recording
# (fresh databases) covers them, and then this test asks to empty the set.
NOT_YET_RECORDED: set[str] = set()


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", fixtures(), ids=_name)
def test_recorded_exchanges_replay_identically_on_the_emulator(path: Path, tmp_path: Path) -> None:
    fixture = json.loads(path.read_text("utf-8"))
    outcomes = replay(fixture, tmp_path / "odoo.json")
    known = KNOWN.get(_name(path), {})
    differ = {o.key: o for o in outcomes if o.diffs}
    new = [f"#{o.index} {o.key}: {' | '.join(o.diffs[:3])}" for k, o in differ.items() if k not in known]
    assert not new, f"{len(new)} exchanges now differ from real Odoo {fixture['odoo']}:\n" + "\n".join(new)
    fixed = sorted(set(known) - set(differ))
    assert not fixed, "identical now, remove from contract/known_differences.json:\n" + "\n".join(fixed)


def test_known_differences_name_a_documented_cause() -> None:
    assert {cause for per_fixture in KNOWN.values() for cause in per_fixture.values()} <= CAUSES
    readme = (CONTRACT_DIR / "README.md").read_text("utf-8")
    assert all(f"`{cause}`" in readme for cause in CAUSES)


def test_fixtures_say_which_odoo_and_when_and_cover_every_tool() -> None:
    names = _tool_names()
    assert len(fixtures()) == 4
    for path in fixtures():
        fixture = json.loads(path.read_text("utf-8"))
        assert fixture["odoo"].startswith(path.parent.name) and fixture["recorded"] and fixture["protocol"] == path.stem
        steps = {item["step"].split(":")[0] for item in fixture["exchanges"]}
        assert names - NOT_YET_RECORDED <= steps, f"{_name(path)} lacks {sorted(names - NOT_YET_RECORDED - steps)}"
        assert not NOT_YET_RECORDED & steps, f"{_name(path)} has {NOT_YET_RECORDED & steps} now: empty NOT_YET_RECORDED"


def _tool_names() -> set[str]:
    definition = load_service("odoo")
    return {read.name for read in definition.reads} | {action.name for action in definition.writes}


def test_replay_binds_each_recorded_id_to_one_emulator_id() -> None:
    matcher = Matcher()
    assert matcher.compare(["@res.partner#7", "@res.partner#8"], ["@res.partner#4", "@res.partner#5"]) == []
    assert matcher.compare("@res.partner#7", "@res.partner#4") == []
    assert matcher.compare("@res.partner#7", "@res.partner#5")  # the same record must stay the same
    assert matcher.compare("@res.partner#9", "@res.partner#4")  # two records cannot become one
    assert matcher.concrete({"ids": ["@res.partner#8", "@res.partner#99"]}, {}) == {"ids": [5, 99]}


def test_normalisation_hides_ids_dates_keys_and_database() -> None:
    from datetime import date, datetime

    norm = Norm(
        {"res.partner": {"parent_id": "res.partner"}}, date(2026, 12, 1), "odoo17", "k3y", now=datetime(2026, 12, 1, 3)
    )
    row = {"id": 7, "parent_id": [3, "Co"], "write_date": "2026-11-30 03:00:00", "date": "2026-11-21", "x": "k3y"}
    assert norm.vals("res.partner", row) == {
        "id": "@res.partner#7",
        "parent_id": ["@res.partner#3", "Co"],
        "write_date": "@now-24h",
        "date": "@date-10",
        "x": "@secret",
    }
    assert (
        norm.domain("res.partner", [["parent_id.parent_id", "child_of", 3], "|", ["id", "in", [1, 2]]])[0][2]
        == "@res.partner#3"
    )
    assert norm.scalar("INV/2026/00001") == "INV/@Y/00001" and norm.scalar("odoo17") == "@db"
