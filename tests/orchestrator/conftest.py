"""Fixtures of the orchestrator tests: signed requests for the fake service, a running orchestrator, polling."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, Vault
from orchestrator.config import OrchestratorSettings, ServerSpec
from orchestrator.runtime import Orchestrator
from tests.core.fake_service.models import AddNoteArgs

ROOT = Path(__file__).resolve().parents[2]


def SETTLED() -> float:
    """The executor's wall clock in tests where every file has long stopped changing (a minute later)."""
    return time.time() + 60


def fake_spec(vault: Vault, name: str = "fake") -> ServerSpec:
    return ServerSpec(
        name, args=("-m", "tests.core.fake_service", "--vault", str(vault.root)), env={"PYTHONPATH": str(ROOT)}
    )


def crashing_spec(name: str = "crashy") -> ServerSpec:
    return ServerSpec(name, args=("-c", "import sys; sys.exit(3)"))


def make_request(
    vault: Vault,
    key: bytes,
    text: str = "hello",
    *,
    folder: str = APPROVED,
    server: str = "fake",
    scheduled_for: datetime | None = None,
    now: datetime | None = None,
    expiry: timedelta = timedelta(days=7),
    extra_calls: int = 0,
    auto: bool = False,
) -> tuple[ar.ActionRequest, Path]:
    """A request signed like a server files it, written into `folder`."""
    args = AddNoteArgs(text=text, scheduled_for=scheduled_for).model_dump(mode="json")
    calls = [ar.ToolCall(server=server, tool="add_note", args=args)]
    calls += [
        ar.ToolCall(server=server, tool="add_note", args={**args, "text": f"{text} #{n}"}) for n in range(extra_calls)
    ]
    request = ar.build_request(
        type="payment",
        tag="fk",
        calls=calls,
        summary=f"Add note: {text}",
        now=now or datetime.now(UTC),
        expiry=expiry,
        scheduled_for=scheduled_for,
        requires_approval=not auto,
        auto_approve_reason="auto-approved: scheduled social media post" if auto else None,
    )
    request = ar.sign(request, key)
    return request, ar.write_new_request(vault, folder, request, f"# Add a note\n\nWill add **{text}**.\n")


def md_files(vault: Vault, folder: str) -> list[Path]:
    return sorted(p for p in vault.folder(folder).iterdir() if not p.name.startswith(".") and p.name != "README.md")


async def until(condition: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll `condition` until truthy (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await anyio.sleep(0.05)


def settings_for_tests(**overrides: Any) -> OrchestratorSettings:
    values: dict[str, Any] = {
        "health_check_interval": 0.5,
        "health_check_timeout": 2.0,
        "rescan_interval": 600.0,
        "dashboard_debounce": 0.05,
        "max_concurrency": 4,
        **overrides,
    }
    return OrchestratorSettings(**values)


@asynccontextmanager
async def running(vault: Vault, specs: list[ServerSpec], **overrides: Any) -> AsyncIterator[Orchestrator]:
    orchestrator = Orchestrator(
        vault, settings_for_tests(**overrides), specs, debounce=0.05, retry_base=0.2, slow_retry=1.0
    )
    async with anyio.create_task_group() as group:
        group.start_soon(orchestrator.run)
        await orchestrator.started.wait()
        yield orchestrator
        group.cancel_scope.cancel()


@pytest.fixture
def key(signing_key: bytes) -> bytes:
    return signing_key
