"""The executor reads a server's answer as the `WriteResult` every write tool returns, and schedules with
the gate's own early tolerance."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mcp_servers.core import gate_rules
from mcp_servers.core.vault import DONE, NEEDS_ACTION, Vault
from orchestrator import executor
from orchestrator.executor import Executor
from tests.orchestrator.conftest import make_request, md_files
from tests.orchestrator.test_executor import FakeServers, answer, front

pytestmark = pytest.mark.anyio


async def test_an_answer_that_is_not_a_write_result_is_ambiguous_for_the_owner(vault: Vault, key: bytes) -> None:
    _, path = make_request(vault, key)
    odd = answer(result=["not", "a", "mapping"])
    assert await Executor(vault, key, FakeServers(odd)).process(path) == "done"
    data = front(vault.folder(DONE) / path.name)
    assert data["status"] == "ambiguous"
    assert "could not be read (result:" in data["result"][0]["error"]
    assert md_files(vault, NEEDS_ACTION), "the owner is asked to check"


async def test_an_answer_without_a_status_is_ambiguous_not_a_success(vault: Vault, key: bytes) -> None:
    _, path = make_request(vault, key)
    bare = SimpleNamespace(is_error=False, structured_content={"message": "ok", "mode": "SANDBOX"}, content=[])
    await Executor(vault, key, FakeServers(bare)).process(path)
    assert front(vault.folder(DONE) / path.name)["status"] == "ambiguous"


def test_the_executor_and_the_gate_share_one_early_tolerance() -> None:
    assert executor.EARLY_TOLERANCE is gate_rules.EARLY_TOLERANCE
