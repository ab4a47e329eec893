"""The briefing's Mermaid blocks parse with Mermaid 11.4.1, the version Obsidian bundles.

The check runs `mermaid.parse()` under Node (tests/skills/audit/node/check.mjs). Its packages are
pinned in package-lock.json and installed by this test with `npm ci` when node_modules is missing
(or ahead of time: `npm ci --prefix tests/skills/audit/node`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.skills.audit.conftest import GOLDEN

NODE_DIR = Path(__file__).parent / "node"
ALLOWED = ("pie", "xychart-beta")  # the diagrams 11.4.1 and later both draw
_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.M | re.S)


def _blocks() -> list[str]:
    return [b for path in sorted(GOLDEN.glob("*.md")) for b in _BLOCK.findall(path.read_text("utf-8"))]


def _ensure_installed() -> None:
    if (NODE_DIR / "node_modules" / "mermaid" / "package.json").exists():
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"npm ci failed in {NODE_DIR}:\n{done.stderr[-2000:]}"


def test_golden_notes_have_both_charts() -> None:
    kinds = [b.split("\n", 1)[0].split()[0] for b in _blocks()]
    assert set(kinds) == set(ALLOWED), kinds


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs Node 18+ and npm")
def test_mermaid_11_4_parses_every_block() -> None:
    _ensure_installed()
    version = json.loads((NODE_DIR / "node_modules" / "mermaid" / "package.json").read_text())["version"]
    assert version == "11.4.1"
    blocks = _blocks()
    run = subprocess.run(
        ["node", "check.mjs"],
        cwd=NODE_DIR,
        input=json.dumps([*blocks, "xychart\n  bar [1]"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout)
    assert results[-1]["ok"] is False  # the checker does reject what 11.4.1 cannot draw
    failures = [(block, r["error"]) for block, r in zip(blocks, results, strict=False) if not r["ok"]]
    assert not failures, failures
    assert {r["type"] for r in results[:-1]} == {"pie", "xychart"}
