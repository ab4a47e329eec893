"""`ai-employee init`: create the vault and .env (idempotent)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create the vault from the template and a .env with a fresh signing key")
    p.add_argument("--vault", help="where to create the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--env-file", default=".env", help="where to write the settings (default: ./.env)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.settings import resolve_vault
    from orchestrator.init import init

    report = init(resolve_vault(args.vault), Path(args.env_file))
    for path in report.created:
        print(f"created  {path}")
    if not report.created:
        print(f"Nothing to do: {report.vault} and {report.env_file} are already set up.")
    else:
        print(f"\nVault ready at {report.vault}. Open it in Obsidian (Open folder as vault).")
        print("Every service is in sandbox mode: no accounts needed. `make run` (or `ai-employee run`) starts it.")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
