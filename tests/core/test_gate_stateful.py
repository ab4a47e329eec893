"""The gate's promise under generated sequences of approvals, crashes, edits, replays and concurrent askers,
with a small budget for `make test` (the long run is tests/resilience/test_gate_stateful_long.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.core.gate_machine import GateMachine

TestGatePromise = GateMachine.TestCase
TestGatePromise.settings = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
