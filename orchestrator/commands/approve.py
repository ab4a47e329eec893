"""`ai-employee approve ID` / `reject ID [--reason]`: move a pending request, for terminal users."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    for name, help_text in (
        ("approve", "approve a pending request (moves it to Approved/)"),
        ("reject", "reject a pending request (moves it to Rejected/ with the reason)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("id", help="the request id (e.g. 20261125-221000-fb-7f3a9c) or its last part (7f3a9c…)")
        p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
        if name == "reject":
            p.add_argument("--reason", default="", help="why (kept in the file)")
        p.set_defaults(handler=run, action=name)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.settings import resolve_vault
    from mcp_servers.core.untrusted import terminal
    from mcp_servers.core.vault import Vault
    from orchestrator.approvals import ApprovalError, approve, reject

    vault = Vault(resolve_vault(args.vault))
    try:
        if args.action == "approve":
            path = approve(vault, args.id)
            print(f"Approved: {terminal(vault.relative(path))}. A running orchestrator executes it now.")
        else:
            path = reject(vault, args.id, args.reason)
            print(f"Rejected: {terminal(vault.relative(path))}. Nothing was sent.")
    except ApprovalError as exc:
        print(terminal(exc), file=sys.stderr)
        return 1
    return 0
