"""Dashboard.md and `.ai_employee/status.json`: what the running orchestrator knows, for the owner and the CLI.

Both are rewritten atomically (readers never see half a file). `status.json` holds exactly the shape
`ai-employee status --json` prints, plus the orchestrator's pid and the time it was written.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.ledger import process_alive
from mcp_servers.core.untrusted import md_inline, wikilink
from mcp_servers.core.vault import APPROVED, BRIEFINGS, NEEDS_ACTION, PENDING, REJECTED, Vault, atomic_write
from orchestrator.executor import ignorable

STATUS_FILE = "status.json"


@dataclass
class Snapshot:
    servers: dict[str, dict[str, Any]]
    pending: list[dict[str, Any]]
    approved: int
    scheduled: list[dict[str, Any]]
    alerts: list[str]
    today: dict[str, int]
    last_briefing: str | None
    server_alerts: dict[str, str] = field(default_factory=dict)
    inbox: list[str] = field(default_factory=list)  # skills.inbox.dashboard (issue 16)

    def status(self) -> dict[str, Any]:
        return {
            "servers": self.servers,
            "pending": len(self.pending),
            "approved": self.approved,
            "scheduled": len(self.scheduled),
            "last_briefing": self.last_briefing,
        }


def _requests(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not ignorable(p.name))


def pending_requests(vault: Vault, now: datetime) -> list[dict[str, Any]]:
    """Pending approvals, oldest first, with their age."""
    rows = []
    for path in _requests(vault.folder(PENDING)):
        try:
            request = ar.read_request_file(vault, path).request
            filed, summary = request.timestamp, request.summary
        except ar.RequestFileError as exc:
            filed, summary = datetime.fromtimestamp(path.lstat().st_mtime, UTC), f"(not a valid request: {exc.reason})"
        rows.append({"file": path.stem, "summary": summary, "filed": filed, "age_s": (now - filed).total_seconds()})
    return sorted(rows, key=lambda row: row["filed"])


def latest_briefing(vault: Vault) -> str | None:
    notes = sorted(vault.folder(BRIEFINGS).glob("*_Briefing.md"))
    return f"{BRIEFINGS}/{notes[-1].stem}" if notes else None


def today_counts(vault: Vault, now: datetime) -> dict[str, int]:
    counts = Counter(str(entry.get("action")) for entry in AuditLog(vault).read_day(now.astimezone(UTC).date()))
    return dict(counts.most_common())


def collect(
    vault: Vault,
    servers: dict[str, dict[str, Any]],
    scheduled: list[dict[str, Any]],
    server_alerts: dict[str, str],
    now: datetime,
) -> Snapshot:
    alerts = sorted(p.stem for p in vault.folder(NEEDS_ACTION).glob("*.md") if not ignorable(p.name))
    return Snapshot(
        servers=servers,
        pending=pending_requests(vault, now),
        approved=len(_requests(vault.folder(APPROVED))) - len(scheduled),
        scheduled=sorted(scheduled, key=lambda row: row["when"]),
        alerts=alerts,
        today=today_counts(vault, now),
        last_briefing=latest_briefing(vault),
        server_alerts=server_alerts,
        inbox=_inbox_lines(vault, now),
    )


def _inbox_lines(vault: Vault, now: datetime) -> list[str]:
    from skills.inbox.dashboard import dashboard_lines

    return dashboard_lines(vault, now)


def age(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def _servers(snapshot: Snapshot) -> list[str]:
    lines = ["## Servers", "", "| Server | State | Mode | PID | Restarts |", "|---|---|---|---|---|"]
    icons = {"up": "🟢 up", "starting": "🟡 starting", "down": "🟠 down", "failed": "🔴 failed"}
    for name, s in sorted(snapshot.servers.items()):
        cells = (name, icons.get(s["state"], s["state"]), str(s["mode"]).upper(), s["pid"] or "", s["restarts"])
        lines.append("| " + " | ".join(md_inline(cell) for cell in cells) + " |")
    return lines


def _pending(snapshot: Snapshot) -> list[str]:
    lines = [f"## Waiting for your approval ({len(snapshot.pending)})", ""]
    for r in snapshot.pending[:50]:
        lines.append(f"- {wikilink(r['file'])} · {md_inline(r['summary'])} · waiting {age(r['age_s'])}")
    if len(snapshot.pending) > 50:
        lines.append(f"- … and {len(snapshot.pending) - 50} more in `{PENDING}/`")
    return lines if snapshot.pending else [*lines, "Nothing waiting."]


def _scheduled(snapshot: Snapshot) -> list[str]:
    """Each scheduled request with its time; auto-approved ones say so. One move cancels any of them."""
    lines = [f"## Scheduled ({len(snapshot.scheduled)})", ""]
    for r in snapshot.scheduled:
        how = " · auto-approved by the policy" if r.get("auto") else ""
        lines.append(
            f"- {r['when']:%Y-%m-%d %H:%M} UTC · {wikilink(Path(r['file']).stem)} · {md_inline(r['summary'])}{how}"
        )
    if not snapshot.scheduled:
        return [*lines, "Nothing scheduled."]
    return [*lines, "", f"To cancel one before it runs, move its file from `{APPROVED}/` to `{REJECTED}/`."]


def _alerts(snapshot: Snapshot) -> list[str]:
    lines = [f"## Alerts ({len(snapshot.alerts) + len(snapshot.server_alerts)})", ""]
    for name, text in sorted(snapshot.server_alerts.items()):
        lines.append(f"> [!danger] {md_inline(name)}: {md_inline(text)}")
    lines += [f"- {wikilink(stem)}" for stem in snapshot.alerts]
    return lines if snapshot.alerts or snapshot.server_alerts else [*lines, "No open alerts."]


def render(snapshot: Snapshot, now: datetime) -> str:
    """Dashboard.md; every value that came from a file, a server or a platform is rendered by `md_inline`."""
    lines = ["---", "type: dashboard", f"updated: {now.isoformat()}", "---", "# AI Employee Dashboard", ""]
    if any(s["mode"] == "sandbox" for s in snapshot.servers.values()):
        lines += ["> [!note] SANDBOX: services marked sandbox use the built-in emulators, not real accounts.", ""]
    lines += [*_servers(snapshot), "", *_pending(snapshot), "", *_scheduled(snapshot), "", "## Today", ""]
    if snapshot.today:
        lines += ["| Action | Count |", "|---|---|", *(f"| {md_inline(a)} | {n} |" for a, n in snapshot.today.items())]
    else:
        lines.append("No actions yet today.")
    briefing = wikilink(snapshot.last_briefing) if snapshot.last_briefing else "No briefing yet (Monday morning)."
    lines += ["", *_alerts(snapshot), *snapshot.inbox, "", "## Latest briefing", "", briefing, ""]
    return "\n".join(lines)


def publish(vault: Vault, snapshot: Snapshot, now: datetime) -> None:
    """Write Dashboard.md and status.json (atomically; unchanged content is not rewritten)."""
    status = {**snapshot.status(), "orchestrator_pid": os.getpid(), "updated": now.isoformat()}
    atomic_write(vault.state_path(STATUS_FILE), json.dumps(status, indent=2, default=str))
    atomic_write(vault.root / "Dashboard.md", render(snapshot, now))


def read_status(vault: Vault) -> dict[str, Any]:
    """The published status in the exact `status --json` shape; servers `down` if no orchestrator runs."""
    try:
        data = json.loads((vault.state_dir / STATUS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    running = process_alive(data.get("orchestrator_pid"))
    servers = {
        name: {
            "state": s.get("state", "down") if running else "down",
            "pid": s.get("pid") if running else None,
            "restarts": int(s.get("restarts", 0)),
            "mode": s.get("mode", "sandbox"),
        }
        for name, s in (data.get("servers") or {}).items()
    }
    now = datetime.now(UTC)
    approved = _requests(vault.folder(APPROVED))
    scheduled = sum(1 for path in approved if _scheduled_later(vault, path, now))
    return {
        "servers": servers,
        "pending": len(pending_requests(vault, now)),
        "approved": len(approved) - scheduled,
        "scheduled": scheduled,
        "last_briefing": latest_briefing(vault),
    }


def _scheduled_later(vault: Vault, path: Path, now: datetime) -> bool:
    try:
        when = ar.read_request_file(vault, path).request.scheduled_for
    except ar.RequestFileError:
        return False
    return when is not None and when > now
    return True
