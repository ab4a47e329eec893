"""The write path's one status vocabulary (core/status.py) and the request footer, rendered and removed in one place."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core import status
from orchestrator import notes


def test_the_stored_words_never_change() -> None:
    # users' vaults hold these (ledger JSON, `status:` and `result[i].status` in Done/)
    assert get_args(status.CallStatus) == ("succeeded", "failed", "ambiguous")
    assert set(get_args(status.LedgerStatus)) == {"running", "succeeded", "failed", "ambiguous"}
    assert get_args(status.RequestStatus) == ("succeeded", "partial", "failed", "ambiguous")


@pytest.mark.parametrize("call", get_args(status.CallStatus))
@pytest.mark.parametrize("replayed", [False, True])
def test_an_answer_reads_back_as_the_call_status_it_came_from(call: status.CallStatus, replayed: bool) -> None:
    assert status.call_status(status.answer_for(call, replayed=replayed)) == call


def test_answers_that_are_not_an_ending() -> None:
    assert status.call_status("in_progress") is None  # still running elsewhere: asked again later
    assert status.call_status("preview") == "failed" and status.call_status("filed") == "failed"
    assert status.answer_for("succeeded", replayed=True) == "replayed"


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (["succeeded", "succeeded"], "succeeded"),
        (["succeeded", "failed"], "partial"),
        (["failed", "failed"], "failed"),
        (["succeeded", "ambiguous", "failed"], "ambiguous"),
    ],
)
def test_a_request_status_from_its_calls(calls: list[status.CallStatus], expected: str) -> None:
    assert status.request_status(calls) == expected
    outcomes = [notes.CallOutcome("odoo", "create_invoice", c, "") for c in calls]
    assert notes.overall_status(outcomes) == expected


@pytest.mark.parametrize(
    ("requires_approval", "scheduled_for", "line"),
    [
        (True, None, ar.ACTION_LINE),
        (True, datetime(2026, 12, 2, tzinfo=UTC), ar.ACTION_LINE),
        (False, datetime(2026, 12, 2, tzinfo=UTC), ar.AUTO_ACTION_LINE),
    ],
)
def test_the_footer_rendered_is_the_footer_removed(
    requires_approval: bool, scheduled_for: datetime | None, line: str
) -> None:
    rendered = ar.footer(requires_approval=requires_approval, scheduled_for=scheduled_for)
    assert rendered == f"---\n{line}"
    assert ar.without_footer(f"# Post\n\nDetails.\n\n{rendered}\n") == "# Post\n\nDetails."
    assert notes.strip_sections(f"# Post\n\nDetails.\n\n{rendered}") == "# Post\n\nDetails."


@pytest.mark.parametrize("line", [ar.ACTION_LINE, ar.AUTO_ACTION_LINE])
def test_a_body_filed_before_keeps_its_digest(line: str) -> None:
    # digests computed by the code before the footer moved to `footer`/`without_footer`
    body = f"# Invoice for Acme\r\n\r\n**Amount**: 100.00  \n\n## 1. odoo · create_invoice\n\nDetails.\n\n---\n{line}\n"
    assert ar.body_digest(body) == "sha256:4ca7cc93477a889386d8e646bb442dd6fdb82a8302b1c687de88d1302b4a13a2"
    assert ar.body_digest("# Plain\n\nno footer  \n") == (
        "sha256:b702ca867abcd0e4228252939f15f786ed97647411cbe5874e09c887dea5eb5f"
    )
