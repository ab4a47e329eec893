"""The gate's promise (see tests/core/gate_machine.py) under many more generated sequences."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from mcp_servers.core.vault import Vault
from tests.core.gate_machine import GateMachine
from tests.core.test_ledger_race import race
from tests.resilience.harness import record

pytestmark = pytest.mark.resilience


class TestGatePromiseLong(GateMachine.TestCase):  # type: ignore[name-defined,misc]
    def runTest(self) -> None:
        super().runTest()
        # reached only if every invariant held: no request ran twice or without the owner's approval
        record("approval attacks (generated)", {"attempts": GateMachine.asks, "duplicated": 0, "unapproved": 0})


TestGatePromiseLong.settings = settings(
    max_examples=400,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_eight_askers_over_an_interrupted_call_run_it_exactly_once_a_hundred_times(vault: Vault) -> None:
    writes, statuses = race(vault, rounds=100)
    assert writes == [1] * 100
    assert set(statuses) <= {"executed", "replayed", "in_progress"}
    record("8 askers over an interrupted call", {"attempts": len(statuses), "duplicated": sum(writes) - 100})
