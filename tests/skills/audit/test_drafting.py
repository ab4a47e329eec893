"""The briefing brings drafted work (issue 16 item 4): the audit files the reminders and replies its
suggestions name, links each next to its suggestion, at most N a week, once per week, never twice for
the same thing, nothing when the source is unavailable, and says why when a tool refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mcp_servers.core.errors import Conflict
from mcp_servers.core.vault import Vault
from skills.audit import run_weekly_audit
from skills.audit.sources import Sources
from tests.skills.audit.conftest import SCENARIOS, Scenario

APPROVE = "(approve: move to Approved/)"


class FakeFiler:
    """Files nothing; answers a request name per call, as the gate would, and remembers the calls."""

    def __init__(self, vault: Vault, refuse: set[int] | None = None) -> None:
        self.vault, self.refuse, self.calls = vault, refuse or set(), []  # type: list[tuple[str, object]]

    def _file(self, kind: str, what: object) -> str:
        self.calls.append((kind, what))
        stem = f"2026-01-12_{kind}_f{len(self.calls):07d}"
        (self.vault.folder("Pending_Approval") / f"{stem}.md").write_text("filed\n")
        return stem

    def reminder(self, invoice_id: int) -> str:
        if invoice_id in self.refuse:
            raise Conflict("A payment reminder for INV/2025/0090 was already sent on 2026-01-10 09:00:00 UTC.")
        return self._file("payment_reminder", invoice_id)

    def reply(self, conversation: str, text: str) -> str:
        return self._file("social_reply", (conversation, text))


def _run(vault: Vault, scenario: Scenario, filer: FakeFiler | None, *, odoo_down: bool = False) -> str:
    sources: Sources = (Scenario(**{**scenario.__dict__, "odoo_down": True}) if odoo_down else scenario).sources()
    sources.filer = filer
    result = run_weekly_audit(scenario.now, vault, sources, week=scenario.the_week())
    return result.path.read_text("utf-8")


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if start in line)


def test_files_the_named_requests_and_links_them(make_vault: Callable[[Scenario], Vault]) -> None:
    scenario = SCENARIOS["normal_week"]
    vault = make_vault(scenario)
    filer = FakeFiler(vault)
    text = _run(vault, scenario, filer)
    assert [kind for kind, _ in filer.calls] == ["payment_reminder", "payment_reminder", "social_reply"]
    conversation, reply = filer.calls[2][1]  # type: ignore[misc]
    assert conversation == "facebook:900_801" and "private message" in reply  # an order problem: not in public
    umbrella = _line(text, "Umbrella Corp for INV/2025/0090")
    assert umbrella.endswith(f"Drafted: [[2026-01-12_payment_reminder_f0000001]] {APPROVE}")
    assert _line(text, "Reply to Grace Holloway").endswith(f"[[2026-01-12_social_reply_f0000003]] {APPROVE}")
    assert "Drafted" not in _line(text, "Landlord LLC")  # a bill is paid by the owner, not drafted

    again = _run(vault, scenario, filer)  # the same week again: same links, nothing filed
    assert again == text and len(filer.calls) == 3


def test_at_most_n_per_week_money_first(
    make_vault: Callable[[Scenario], Vault], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_MAX_DRAFTS_PER_WEEK", "1")
    scenario = SCENARIOS["normal_week"]
    vault = make_vault(scenario)
    filer = FakeFiler(vault)
    text = _run(vault, scenario, filer)
    assert [kind for kind, _ in filer.calls] == ["payment_reminder"]  # the largest amount: Umbrella's 3,300
    assert "Drafted" in _line(text, "Umbrella Corp for") and "Drafted" not in _line(text, "Globex for")


def test_a_refused_reminder_says_why_and_does_not_use_the_quota(
    make_vault: Callable[[Scenario], Vault], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_MAX_DRAFTS_PER_WEEK", "2")
    scenario = SCENARIOS["normal_week"]
    vault = make_vault(scenario)
    refused = next(m for m in scenario.odoo_moves()["moves"] if m["number"] == "INV/2025/0090")
    filer = FakeFiler(vault, refuse={scenario.odoo_moves()["moves"].index(refused) + 1})
    text = _run(vault, scenario, filer)
    assert "Not drafted: A payment reminder for INV/2025/0090 was already sent" in _line(text, "Umbrella Corp for")
    assert [kind for kind, _ in filer.calls] == ["payment_reminder", "social_reply"]  # Globex's, then the reply
    assert "Drafted" in _line(text, "Globex for")


def test_nothing_for_an_unavailable_source_and_no_second_request(make_vault: Callable[[Scenario], Vault]) -> None:
    scenario = SCENARIOS["normal_week"]
    vault = make_vault(scenario)
    filer = FakeFiler(vault)
    _run(vault, scenario, filer, odoo_down=True)
    assert [kind for kind, _ in filer.calls] == ["social_reply"]  # no books: no reminder
    later = SCENARIOS["month_boundary"]  # a later week: the reply still waits for approval
    text = _run(vault, later, filer)
    grace = [what for kind, what in filer.calls if kind == "social_reply" and what[0] == "facebook:900_801"]
    assert len(grace) == 1  # type: ignore[index]
    assert _line(text, "Reply to Grace Holloway").endswith(f"[[2026-01-12_social_reply_f0000001]] {APPROVE}")


def test_no_filer_files_nothing(make_vault: Callable[[Scenario], Vault]) -> None:
    scenario = SCENARIOS["normal_week"]
    vault = make_vault(scenario)
    text = _run(vault, scenario, None)
    assert "Drafted" not in text and not list(vault.folder("Pending_Approval").glob("*_f0*.md"))
