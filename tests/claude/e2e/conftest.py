"""The end-to-end suite needs the real Claude Code CLI: `make test-claude` installs it (tests/clients/claude_code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.claude.e2e.harness import Project, installed, project_setup


@pytest.fixture
def project(tmp_path: Path) -> Project:
    if not installed():
        pytest.fail("Claude Code is not installed: run `make test-claude` (it installs tests/clients/claude_code)")
    return project_setup(tmp_path)
