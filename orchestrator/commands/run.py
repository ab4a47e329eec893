"""`ai-employee run`: the orchestrator in the foreground until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="run the orchestrator in the foreground (Ctrl-C stops it and every server)")
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "WARNING"), help="DEBUG, INFO, WARNING, …")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import functools
    import logging

    import anyio

    from mcp_servers.core.errors import ConfigError
    from mcp_servers.core.settings import resolve_vault
    from mcp_servers.core.vault import Vault
    from orchestrator.config import OrchestratorSettings
    from orchestrator.runtime import AlreadyRunning, Orchestrator, run_until_signalled, vault_lock

    logging.basicConfig(
        stream=sys.stderr, level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    from mcp_servers.core.redaction import install_log_redaction

    install_log_redaction()  # no configured secret reaches stderr, whatever logs it
    root = resolve_vault(args.vault)
    if not root.is_dir():
        print(f"No vault at {root}. Create it with `ai-employee init --vault {root}`.", file=sys.stderr)
        return 2
    try:
        orchestrator = Orchestrator(Vault(root), OrchestratorSettings())
    except ConfigError as exc:
        print(f"configuration error: {exc.message}", file=sys.stderr)
        return 2
    names = ", ".join(f"{n} ({h.mode})" for n, h in orchestrator.supervisor.handles.items()) or "none"
    try:
        with vault_lock(orchestrator.vault):  # taken before any task group: a refusal is one plain line
            print(f"AI Employee running on {root}\nservers: {names}\nCtrl-C to stop.", flush=True)
            anyio.run(functools.partial(run_until_signalled, orchestrator, locked=True))
    except AlreadyRunning as exc:
        print(f"ai-employee run: {exc} Stop it first (Ctrl-C in its terminal); nothing was started.", file=sys.stderr)
        return 3
    print("Stopped; every server was shut down.", flush=True)
    return 0
