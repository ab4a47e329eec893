"""Approving and rejecting from the terminal: the same folder moves the owner makes in Obsidian."""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from mcp_servers.core import action_request as ar
from mcp_servers.core.regular_file import IrregularFile, read_regular
from mcp_servers.core.vault import APPROVED, PENDING, REJECTED, Vault
from orchestrator import notes


class ApprovalError(Exception):
    """The id matches no pending request (or more than one); the message says what to do."""


def find_pending(vault: Vault, ident: str) -> Path:
    """The pending request by full id or a unique tail of it (the short id in the file name)."""
    ident = ident.strip()
    short = ident.rsplit("-", 1)[-1].lower()
    if not re.fullmatch(r"[0-9a-f]{4,8}", short):
        raise ApprovalError(f"{ident!r} is not a request id (like 20261125-221000-fb-7f3a9c or 7f3a9c).")
    matches = sorted(p for p in vault.folder(PENDING).glob("*.md") if p.stem.rsplit("_", 1)[-1].startswith(short))
    if not matches:
        where = next((f for f in (APPROVED, REJECTED, "Done") if list(vault.folder(f).glob(f"*_{short}*.md"))), None)
        hint = f" It is in {where}/." if where else " See `ai-employee status` for what is pending."
        raise ApprovalError(f"No pending request {ident!r} in {vault.folder(PENDING)}.{hint}")
    if len(matches) > 1:
        raise ApprovalError(f"{ident!r} matches {len(matches)} requests; give more of the id.")
    return matches[0]


def approve(vault: Vault, ident: str) -> Path:
    path = find_pending(vault, ident)
    target = vault.folder(APPROVED) / path.name
    os.rename(path, target)
    return target


def reject(vault: Vault, ident: str, reason: str = "") -> Path:
    path = find_pending(vault, ident)
    text = f"rejected by the owner{': ' + reason if reason else ''}"
    try:
        parsed: ar.ParsedRequest | None = ar.read_request_file(vault, path)
    except ar.RequestFileError:
        parsed = None
    raw = None
    if parsed is None:
        with contextlib.suppress(IrregularFile, OSError):  # never block on a FIFO or read a hard link
            raw = read_regular(path, ar.MAX_REQUEST_BYTES)
    return notes.reject(vault, path, text, parsed, raw, datetime.now(UTC), by="the owner")
