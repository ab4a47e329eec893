"""The `ai-employee` command line. Each subcommand lives in `orchestrator/commands/<name>.py`."""

from __future__ import annotations

import argparse
import importlib
import sys

# Add a subcommand by adding its module here (it defines `register(subparsers)`).
COMMAND_MODULES = (
    "orchestrator.commands.init",
    "orchestrator.commands.post",
    "orchestrator.commands.desktop",
    "orchestrator.commands.audit",
    "orchestrator.commands.run",
    "orchestrator.commands.status",
    "orchestrator.commands.approve",
    "orchestrator.commands.logs",
    "orchestrator.commands.doctor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ai-employee", description="AI Employee: your autonomous employee.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
