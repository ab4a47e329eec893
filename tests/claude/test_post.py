"""`ai-employee post`: every platform's own preview, then ONE signed request with one call per platform,
which each server then accepts and executes once the owner approves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from orchestrator.cli import main
from skills import crosspost

IMAGE = "https://example.com/beans.jpg"
TEXT = "Fresh beans every Tuesday! Try our new Ethiopian roast. #coffee"
ALL = ["facebook", "instagram", "twitter"]


def _requests(vault: Vault, folder: str) -> list[ar.ActionRequest]:
    return [ar.read_request_file(vault, p).request for p in sorted(vault.folder(folder).glob("*.md"))]


def _post(vault: Vault, *extra: str) -> int:
    return main(["post", TEXT, "--platforms", ",".join(ALL), "--image", IMAGE, "--vault", str(vault.root), *extra])


def test_dry_run_previews_every_platform_and_files_nothing(vault: Vault, capsys: pytest.CaptureFixture[str]) -> None:
    assert _post(vault, "--dry-run") == 0
    out = capsys.readouterr().out
    assert all(f"✔ {p} [SANDBOX]" in out for p in ALL)
    assert "nothing filed" in out.lower()
    assert _requests(vault, "Pending_Approval") == [] and _requests(vault, "Approved") == []


def test_files_one_signed_request_with_one_call_per_platform(
    vault: Vault, signing_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _post(vault) == 0
    [request] = _requests(vault, "Pending_Approval")
    ar.verify(request, signing_key)
    assert request.type == "social_media_post" and request.requires_approval
    assert [(c.server, c.tool) for c in request.calls] == [(p, "create_post") for p in ALL]
    assert request.platforms == sorted(ALL)
    assert "Move the file to Approved/" in capsys.readouterr().out


def test_an_approved_crosspost_runs_once_on_every_server(vault: Vault, signing_key: bytes) -> None:
    """The filed arguments are exactly what each server verifies against: approval makes them run."""
    assert _post(vault) == 0
    [path] = vault.folder("Pending_Approval").glob("*.md")
    path.rename(vault.folder("Approved") / path.name)
    request = _requests(vault, "Approved")[0]
    for call in request.calls:
        action = crosspost.PLATFORMS[call.server].post_action()
        client: Any = load_service(call.server).client(vault)
        gate = ApprovalGate(call.server, vault, key=signing_key, policy=Policy(), tag="t")
        args = action.args(**call.args)
        first = gate.execute(action, lambda c=client: c, args, request.id)
        again = gate.execute(action, lambda c=client: c, args, request.id)
        assert (first.status, again.status) == ("executed", "replayed"), first.message


def test_a_platform_that_refuses_the_post_stops_the_filing(vault: Vault, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["post", TEXT, "--platforms", "facebook,instagram", "--vault", str(vault.root)])
    captured = capsys.readouterr()
    assert code == 1
    assert "✘ instagram" in captured.out and "Nothing filed" in captured.err
    assert _requests(vault, "Pending_Approval") == []


def test_a_scheduled_post_is_auto_approved_by_the_policy(vault: Vault, capsys: pytest.CaptureFixture[str]) -> None:
    at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    assert _post(vault, "--at", at.isoformat()) == 0
    [request] = _requests(vault, "Approved")
    assert request.scheduled_for == at and not request.requires_approval
    assert "publishes it at" in capsys.readouterr().out


def test_a_variant_replaces_the_text_for_one_platform(vault: Vault) -> None:
    assert _post(vault, "--variant", "x=Short one for X") == 0
    [request] = _requests(vault, "Pending_Approval")
    texts = {c.server: c.args.get("text") or c.args.get("message") or c.args.get("caption") for c in request.calls}
    assert texts["twitter"] == "Short one for X"
    assert all(t == TEXT for s, t in texts.items() if s != "twitter")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--platforms", "facebook,myspace"], "myspace"),
        (["--platforms", "facebook", "--at", "next tuesday"], "--at"),
    ],
)
def test_bad_input_is_refused_naming_it(
    vault: Vault, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["post", TEXT, *argv, "--vault", str(vault.root)]) == 2
    assert message in capsys.readouterr().err
    assert _requests(vault, "Pending_Approval") == []


def test_a_time_without_offset_is_read_in_the_configured_zone() -> None:
    from orchestrator.commands.post import parse_time

    moment = parse_time("2026-12-01T09:30", "Europe/Berlin")
    assert moment.astimezone(UTC) == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
