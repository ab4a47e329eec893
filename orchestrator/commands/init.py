"""`ai-employee init`: create the vault, the project's .env and the per-user secrets file (idempotent)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init", help="create the vault, a .env and the per-user secrets file (~/.config/ai-employee/config.env)"
    )
    p.add_argument("--vault", help="where to create the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--env-file", default=".env", help="where to write the project's settings (default: ./.env)")
    p.add_argument(
        "--move-secrets",
        action="store_true",
        help="move the keys, tokens and passwords of an existing .env into the per-user secrets file",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.settings import resolve_vault, user_config_file
    from orchestrator.init import init

    report = init(resolve_vault(args.vault), Path(args.env_file), user_config_file(), move=args.move_secrets)
    for path in report.created:
        print(f"created  {path}")
    if report.moved:
        print(f"moved    {', '.join(report.moved)} from {report.env_file} to {report.user_file}")
    if not report.created and not report.moved:
        print(f"Nothing to do: {report.vault}, {report.env_file} and {report.user_file} are already set up.")
    elif report.created:
        print(f"\nVault ready at {report.vault}. Open it in Obsidian (Open folder as vault).")
        print(f"Secrets (signing key, tokens) live in {report.user_file}, readable by you only.")
        print("Every service is in sandbox mode: no accounts needed. `make run` (or `ai-employee run`) starts it.")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
