"""`ai-employee doctor`: what is configured, what is missing, and how to fix each problem."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check configuration, credentials, reachability and tokens, with fixes")
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--offline", action="store_true", help="skip the network reachability checks")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.redaction import redact_text
    from orchestrator.doctor import format_checks, run_checks

    checks = run_checks(args.vault, network=not args.offline)
    print(redact_text(format_checks(checks)))  # a remote error may echo a token back
    failed = sum(c.level == "fail" for c in checks)
    print(f"\n{failed} problem(s) to fix." if failed else "\nAll good.")
    return 1 if failed else 0
