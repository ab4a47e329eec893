"""`python -m skills.inbox`: what the `/inbox` skill runs.

list  [--older-than-hours N] [--json]   the conversations waiting for a reply, oldest first
reply CONVERSATION --text TEXT          file one reply request for the owner's approval
run                                     read the platforms now (the scheduled job, once)
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.settings import CoreSettings, resolve_vault
from mcp_servers.core.untrusted import terminal
from mcp_servers.core.vault import Vault
from skills.inbox import drafts
from skills.inbox.collect import run_inbox, summary


def _list(vault: Vault, hours: float, as_json: bool) -> int:
    rows = drafts.waiting(vault, datetime.now(UTC), timedelta(hours=hours))
    if as_json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        state = f"drafted: {r.drafted}" if r.drafted else "no draft yet"
        print(f"{r.key} · {r.platform} · {terminal(r.author, 40)} · since {r.since:%Y-%m-%d %H:%M} UTC · {state}")
        print(f"    {terminal(r.text, 200)}")
    print(f"{len(rows)} waiting.")
    return 0


def _reply(vault: Vault, conversation: str, text: str) -> int:
    result = drafts.file_reply(vault, CoreSettings().signing_key(), conversation, text, datetime.now(UTC))
    print(result.message)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skills.inbox", description=__doc__.splitlines()[0])
    parser.add_argument("--vault", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list")
    listing.add_argument("--older-than-hours", type=float, default=0.0)
    listing.add_argument("--json", action="store_true")
    reply = sub.add_parser("reply")
    reply.add_argument("conversation")
    reply.add_argument("--text", required=True)
    sub.add_parser("run")
    args = parser.parse_args(argv)
    vault = Vault(resolve_vault(args.vault))
    try:
        if args.command == "list":
            return _list(vault, args.older_than_hours, args.json)
        if args.command == "reply":
            return _reply(vault, args.conversation, args.text)
        print(json.dumps(summary(run_inbox(vault, datetime.now(UTC))), indent=1))
        return 0
    except ServiceError as exc:
        print(f"Not done: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
