"""Fixtures for the Claude Code layer: a fresh-clone-like project folder sharing this checkout's .venv."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("odoo", "facebook", "instagram", "twitter")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder as after `git clone` + `make test`: .mcp.json and .venv, no .env, no vault."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / ".mcp.json", folder / ".mcp.json")
    (folder / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return folder


@pytest.fixture
def claude_environ(tmp_path: Path) -> dict[str, str]:
    """The environment Claude Code runs in: a user's shell with none of our variables set."""
    return {"HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
