"""What the orchestrator writes for the owner: result and rejection sections, moves out of Approved/,
and notes in Needs_Action/ (alerts, failed or ambiguous calls)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.regular_file import irregularity
from mcp_servers.core.status import CallStatus, RequestStatus, request_status
from mcp_servers.core.untrusted import md_code, md_inline, wikilink
from mcp_servers.core.vault import NEEDS_ACTION, REJECTED, Vault, atomic_write, create_exclusive

RESULT_HEADING = ar.RESULT_HEADING
WHY_HEADING = ar.WHY_HEADING
_UNSAFE = re.compile(r"[^\w .,()+@-]|\.\.")
_SAFE_URL = re.compile(r"https?://[^\s()<>\[\]`|%$~\\]+")


@dataclass(frozen=True)
class CallOutcome:
    server: str
    tool: str
    status: CallStatus
    message: str
    result: dict[str, Any] | None = None
    replayed: bool = False

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = {"call": f"{self.server}.{self.tool}", "status": self.status}
        if self.result:
            data["result"] = self.result
        if self.status != "succeeded":
            data["error"] = self.message
        return data


def overall_status(outcomes: list[CallOutcome]) -> RequestStatus:
    return request_status(o.status for o in outcomes)


def strip_sections(body: str) -> str:
    """The body as filed, without the line asking to approve it (no longer true once it has run or been
    refused) and without a result or rejection section an earlier (interrupted) run added."""
    for heading in (RESULT_HEADING, WHY_HEADING):
        index = body.find("\n" + heading)
        if index >= 0:
            body = body[:index]
    return ar.without_footer(body)


def _result_facts(result: dict[str, Any] | None) -> str:
    """What the owner wants to see of a result: a link to open and the ids it got (full data is in the
    `result` property)."""
    if not result:
        return ""
    link = next((result[k] for k in ("url", "permalink", "permalink_url") if isinstance(result.get(k), str)), None)
    ids = [
        f"{md_inline(key)} {md_code(value)}"
        for key, value in result.items()
        if (key.endswith("_id") or key in ("id", "name")) and isinstance(value, str | int)
    ][:3]
    parts = ([f"[open]({link})"] if link and _SAFE_URL.fullmatch(link) else []) + ids
    return " (" + ", ".join(parts) + ")" if parts else ""


def result_section(status: RequestStatus, outcomes: list[CallOutcome], now: datetime) -> str:
    lines = [RESULT_HEADING, "", f"**Status**: {status} · **Run at**: {now:%Y-%m-%d %H:%M} UTC", ""]
    for index, outcome in enumerate(outcomes, start=1):
        mark = {"succeeded": "✅", "failed": "❌", "ambiguous": "⚠️"}[outcome.status]
        facts = _result_facts(outcome.result)
        lines.append(f"{index}. {mark} `{outcome.server}.{outcome.tool}`: {md_inline(outcome.message)}{facts}")
    return "\n".join(lines)


def why_section(reason: str, now: datetime, by: str = "the orchestrator") -> str:
    return (
        f"{WHY_HEADING}\n\n> [!failure] {md_inline(reason)}\n\nRejected by {by} at {now:%Y-%m-%d %H:%M} UTC. "
        + ar.WHY_CLOSING
    )


def safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "unnamed"
    return cleaned[:150]


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`, … so an existing file is never overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    stem, suffix = os.path.splitext(name)
    counter = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem}-{counter}{suffix}"
        counter += 1
    return target


def move_with_content(path: Path, content: str, target: Path) -> Path:
    """Write the new file at `target` atomically, then remove `path`. A crash between leaves both; the next
    scan processes the original again and rewrites the same target (calls replay from the ledger).
    Not a rename across folders: watchdog holds an unpaired "moved from" for 0.5 s and every later event
    in Approved/ would wait behind it."""
    atomic_write(target, content)
    path.unlink(missing_ok=True)
    return target


def reject(
    vault: Vault,
    path: Path,
    reason: str,
    parsed: ar.ParsedRequest | None,
    raw: bytes | None,
    now: datetime,
    by: str = "the orchestrator",
) -> Path:
    """Move a file into Rejected/ with the reason; nothing of it is run."""
    folder = vault.folder(REJECTED)
    why = why_section(reason, now, by)
    state = {"status": "rejected", "rejected_at": now.isoformat(), "rejected_reason": reason}
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or irregularity(info) is not None:
        return _reject_unread(folder, path, info, why)
    if parsed is not None:
        body = strip_sections(parsed.body) + "\n\n" + why
        return move_with_content(
            path, ar.render(parsed.request, body, {**parsed.state, **state}), free_path(folder, safe_name(path.name))
        )
    text = _as_text(raw) if path.suffix == ".md" else None
    if text is not None:
        return move_with_content(path, text.rstrip() + "\n\n" + why + "\n", free_path(folder, safe_name(path.name)))
    # binary, oversized, unreadable or not Markdown: moved untouched, the reason beside it
    target = free_path(folder, safe_name(path.name))
    os.replace(path, target)
    atomic_write(
        free_path(folder, target.name + ".why.md"),
        f"---\ntype: rejected_file\nfile: {json.dumps(target.name)}\n---\n# {md_inline(target.name)}\n\n" + why + "\n",
    )
    return target


def _reject_unread(folder: Path, path: Path, info: os.stat_result, why: str) -> Path:
    """A link, FIFO, device or hard link: its name is removed and a note takes its place in Rejected/; what
    it points to is never read, followed or copied (a hard link to `.env` must not bring the key along)."""
    if stat.S_ISLNK(info.st_mode):
        what = f"a link to {md_inline(os.readlink(path))}"  # any bytes (surrogate-escaped): rendered, never raw
    else:
        problem = irregularity(info)
        what = md_inline(problem.reason if problem else "not a regular file")
    note = f"---\ntype: rejected_file\n---\n# {md_inline(path.name)}\n\nThis was not a request file: {what}.\n\n"
    target = free_path(folder, safe_name(path.name))
    atomic_write(target, note + why + "\n")
    path.unlink(missing_ok=True)
    return target


def _as_text(raw: bytes | None) -> str | None:
    if raw is None or len(raw) > ar.MAX_REQUEST_BYTES or b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def needs_action(
    vault: Vault, key: str, title: str, text: str, now: datetime, kind: str = "needs_action"
) -> Path | None:
    """A note in Needs_Action/ (one per `key`: repeating the same problem does not pile up notes)."""
    path = vault.folder(NEEDS_ACTION) / f"{now:%Y-%m-%d}_{kind}_{safe_name(key)}.md"
    if any(vault.folder(NEEDS_ACTION).glob(f"*_{kind}_{safe_name(key)}.md")):
        return None
    front = f'---\ntype: {kind}\ncreated: {now.isoformat()}\nkey: "{safe_name(key)}"\n---\n'
    with contextlib.suppress(OSError):
        if create_exclusive(path, f"{front}# {md_inline(title)}\n\n{text.rstrip()}\n"):
            return path
    return None


def call_note(request: ar.ActionRequest, done_path: Path, outcomes: list[CallOutcome], now: datetime) -> str:
    """What happened to a failed or ambiguous request and what the owner can do."""
    lines = [f"Request {wikilink(done_path.stem)} ({md_inline(request.summary)}) did not fully succeed:", ""]
    for outcome in outcomes:
        if outcome.status == "ambiguous":
            lines.append(
                f"- ⚠️ `{outcome.server}.{outcome.tool}` may or may not have happened: {md_inline(outcome.message)} "
                f"Check {outcome.server} for it. If it is there, nothing to do. If it is not, ask AI Employee to "
                "file a new request: this one stays in Done/ and never runs again on its own, so the new one "
                "cannot duplicate it (unless you move this one back to Approved/)."
            )
        elif outcome.status == "failed":
            lines.append(
                f"- ❌ `{outcome.server}.{outcome.tool}` failed: {md_inline(outcome.message)} Fix the cause, then ask "
                "AI Employee to file a new request."
            )
    lines += ["", "Delete this note once it is handled."]
    return "\n".join(lines)
