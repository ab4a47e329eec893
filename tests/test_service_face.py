"""One public face per service: `ServiceDefinition` declares the tools and settings, `build()` only registers
them, and the import contracts in pyproject.toml (import-linter, run by `make lint`) hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core.service import ServiceDefinition, load_service
from mcp_servers.core.settings import SERVICES

ROOT = Path(__file__).resolve().parents[1]
SOCIAL = ("facebook", "instagram", "twitter")


class _Recorder:
    """Stands in for `ServiceApp`: records what `build()` registers."""

    def __init__(self) -> None:
        self.reads: list[str] = []
        self.writes: list[str] = []

    def read(self, fn: Any, *, title: str) -> None:
        assert title, "every read tool has a title"
        self.reads.append(fn.__name__)

    def write(self, action: Any) -> None:
        self.writes.append(action.name)


@pytest.mark.parametrize("service", SERVICES)
def test_build_registers_exactly_the_declared_tools(service: str) -> None:
    definition = load_service(service)
    app = _Recorder()
    definition.build(app)  # type: ignore[arg-type]
    assert app.reads == [r.name for r in definition.reads] and app.reads
    assert app.writes == [a.name for a in definition.writes] and app.writes


@pytest.mark.parametrize("service", SOCIAL)
def test_every_social_service_declares_create_post_for_cross_posting(service: str) -> None:
    action = load_service(service).write_action("create_post")
    assert action.name == "create_post"


def test_an_undeclared_tool_is_refused_with_the_declared_names() -> None:
    definition: ServiceDefinition = load_service("facebook")
    with pytest.raises(KeyError, match="facebook has no write action 'create_thread'; it has create_post"):
        definition.write_action("create_thread")
    with pytest.raises(KeyError, match="facebook has no read tool 'list_media'; it has get_page"):
        definition.read_tool("list_media")


def test_a_read_tool_validates_its_arguments_as_the_server_does() -> None:
    from pydantic import ValidationError

    list_posts = load_service("twitter").read_tool("list_posts")
    with pytest.raises(ValidationError):
        list_posts(object(), max_results="many")


@pytest.mark.parametrize("service", SERVICES)
def test_the_settings_class_is_declared_with_the_service_prefix(service: str) -> None:
    cls = load_service(service).settings_cls
    assert cls.model_config.get("env_prefix") == f"{service.upper()}_"


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the dev extra (pip install -e '.[dev]')"
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
