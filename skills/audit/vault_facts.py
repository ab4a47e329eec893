"""Facts from the vault: requests finished during the week, approvals waiting, tasks and plans.

Request files are named `<UTC date>_<type>_<id>.md`, so only names dated inside the week (and a
short look-back for requests created earlier and finished this week) are opened: the cost follows
the week's activity, not the number of files the vault has gathered over the years."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.regular_file import IrregularFile, read_regular
from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, PENDING, PLANS, REJECTED, Vault
from skills.audit.facts import PlanItem, RequestItem, VaultFacts
from skills.audit.frontmatter import as_datetime, split_front_matter
from skills.audit.period import Week

# A request runs within its approval window (7 days by default) of being filed, or at its scheduled
# time; finished requests filed longer ago than this are not looked for.
LOOKBACK_DAYS = 28
MTIME_SLACK_S = 3600  # clock or file-system granularity slack
FINISHED = ("succeeded", "partial", "failed", "ambiguous")
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})_.+\.md$")
_ANY_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOX = re.compile(r"^\s*[-*+] \[(.)\]", re.M)
_TITLE = re.compile(r"^# (.+)$", re.M)
_FRONT_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?)")
_REQUEST_KEYS = frozenset(
    {
        "type",
        "id",
        "summary",
        "timestamp",
        "scheduled_for",
        "requires_approval",
        "amount",
        "status",
        "executed_at",
        "rejected_at",
        "rejected_reason",
    }
)


def _notes(folder: Path) -> list[str]:
    """Note paths in `folder`, sorted (plain names: DirEntry objects cost more on 50,000 files)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(os.path.join(folder, n) for n in names if n.endswith(".md") and n != "README.md")


def _link(vault: Vault, path: Path) -> str:
    return f"{path.parent.name}/{path.stem}" if path.parent.parent == vault.root else vault.relative(path)[:-3]


def _text(path: str) -> str | None:
    """The note's text, if it is a regular file with one name (a FIFO dropped in the vault must not hang the
    audit, a hard link must not be read), at most 1 MB."""
    try:
        return read_regular(Path(path), 1_000_000).decode("utf-8")
    except (OSError, IrregularFile, UnicodeDecodeError):
        return None


def _read(path: str) -> tuple[dict[str, Any], str] | None:
    text = _text(path)
    return None if text is None else split_front_matter(text)


def _read_request(path: str) -> dict[str, Any] | None:
    """The top-level fields the audit uses, read line by line (full YAML only for odd values):
    a thousand request files a week make YAML parsing the audit's largest cost."""
    text = _text(path)
    if text is None:
        return None
    match = _FRONT_BLOCK.match(text)
    if not match:
        return {}
    front: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        key, sep, raw = line.partition(":")
        if key == "calls":
            front["calls"] = []
        elif sep and key in _REQUEST_KEYS:
            value = _scalar(raw.strip())
            if value is _ODD:
                return split_front_matter(text)[0]
            front[key] = value
    return front


_ODD = object()


def _scalar(raw: str) -> Any:
    """A one-line YAML scalar as PyYAML's safe loader reads it, or _ODD for anything else."""
    if raw in ("", "null", "~"):
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'") if len(raw) > 1 and raw.endswith("'") else _ODD
    if raw[0] == '"':
        try:
            return json.loads(raw)
        except ValueError:
            return _ODD
    if raw[0] in "[{|>&*!%@`#":
        return _ODD
    if _NUMBER.fullmatch(raw):
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    return raw


def request_item(vault: Vault, path: Path, front: dict[str, Any], default_status: str) -> RequestItem:
    state = str(front.get("status") or default_status)
    finished = as_datetime(front.get("rejected_at") if state == "rejected" else front.get("executed_at"))
    amount = front.get("amount")
    return RequestItem(
        link=_link(vault, path),
        type=str(front.get("type") or "request"),
        summary=str(front.get("summary") or path.stem),
        created=as_datetime(front.get("timestamp")),
        status=state,
        finished=finished,
        amount=float(amount) if isinstance(amount, int | float) and not isinstance(amount, bool) else None,
        requires_approval=front.get("requires_approval") is not False,
        scheduled=front.get("scheduled_for") not in (None, ""),
        reason=str(front.get("rejected_reason") or ""),
    )


def _is_request(front: dict[str, Any]) -> bool:
    return isinstance(front.get("calls"), list) and "id" in front


def _finished_in(
    vault: Vault, folder: str, week: Week, now: datetime, default: str
) -> tuple[list[RequestItem], list[str], list[str]]:
    """(requests finished in the week, other notes dated in the week, unreadable names)."""
    first = (week.start_utc.date() - timedelta(days=LOOKBACK_DAYS)).isoformat()
    last = min(week.end_utc, now).date().isoformat()
    week_days = {d.isoformat() for d in week.days}
    week_first = week.start_utc.date().isoformat()
    # Finishing a request rewrites its file (status, result), so its mtime is the finish time or later.
    floor = week.start_utc.timestamp() - MTIME_SLACK_S
    items, tasks, unreadable = [], [], []
    base = vault.folder(folder)
    try:
        listing = os.listdir(base)
    except FileNotFoundError:
        listing = []
    # A year of history is ~50,000 names: keep this loop to a slice and a comparison per name, and only
    # then sort and open the few that fall in the window.
    names = []
    for name in listing:
        stamp = name[:10]
        if _DATE_PREFIX.fullmatch(stamp) is None:
            match = _ANY_DATE.search(name)
            if match is None:
                if name.endswith(".md") and name != "README.md":
                    names.append(("", name))
                continue
            stamp = match.group(1)
        if first <= stamp <= last and name.endswith(".md"):
            names.append((stamp, name))
    names.sort(key=lambda pair: pair[1])
    for stamp, name in names:
        path = os.path.join(base, name)
        if not stamp:
            if folder == DONE and week.contains(datetime.fromtimestamp(os.stat(path).st_mtime, week.tz)):
                tasks.append(_link(vault, Path(path)))
            continue
        if stamp < week_first and os.stat(path).st_mtime < floor:
            continue  # filed before the week and not rewritten since: it cannot have finished in it
        front = _read_request(path)
        if front is None:
            unreadable.append(name)
            continue
        if not _is_request(front):
            if folder == DONE and stamp in week_days:
                tasks.append(_link(vault, Path(path)))
            continue
        item = request_item(vault, Path(path), front, default)
        when = item.finished or item.created
        if when is not None and week.contains(when) and when <= now:
            items.append(item)
    return items, tasks, unreadable


def _current(vault: Vault, folder: str, status: str) -> list[RequestItem]:
    items = []
    for path in _notes(vault.folder(folder)):
        read = _read(path)
        if read is not None and _is_request(read[0]):
            items.append(request_item(vault, Path(path), read[0], status))
    return items


def _plans(vault: Vault) -> list[PlanItem]:
    plans = []
    for path in _notes(vault.folder(PLANS)):
        read = _read(path)
        if read is None:
            continue
        front, body = read
        boxes = _BOX.findall(body)
        done = sum(1 for mark in boxes if mark != " ")
        title = _TITLE.search(body)
        status = front.get("status")
        if not isinstance(status, str) or not status:
            status = "done" if boxes and done == len(boxes) else ("in_progress" if done else "not_started")
        name = Path(path).stem
        heading = title.group(1).strip() if title else name
        plans.append(PlanItem(_link(vault, Path(path)), heading, status, done, len(boxes)))
    return plans


def gather_vault(vault: Vault, week: Week, now: datetime) -> VaultFacts:
    done, tasks, bad_done = _finished_in(vault, DONE, week, now, "succeeded")
    rejected, _, bad_rejected = _finished_in(vault, REJECTED, week, now, "rejected")
    finished = sorted(done + rejected, key=lambda i: (i.finished or i.created or now, i.link))
    turnaround = [
        round((i.finished - i.created).total_seconds() / 3600, 1)
        for i in done
        if i.finished and i.created and i.requires_approval and not i.scheduled and i.status in FINISHED
    ]
    return VaultFacts(
        finished=finished,
        pending=_current(vault, PENDING, "pending"),
        approved_waiting=_current(vault, APPROVED, "approved"),
        needs_action=[_link(vault, Path(p)) for p in _notes(vault.folder(NEEDS_ACTION))],
        plans=_plans(vault),
        done_tasks=tasks,
        turnaround_hours=turnaround,
        unreadable=bad_done + bad_rejected,
    )


def age_hours(item: RequestItem, now: datetime) -> float:
    return round((now - item.created).total_seconds() / 3600, 1) if item.created else 0.0
