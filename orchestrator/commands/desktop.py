"""`ai-employee install-desktop [--print] [--config PATH]`: the four servers for Claude Desktop.

Desktop has no `${VAR}` expansion, starts servers in an undefined folder with a minimal environment,
and speaks stdio only, so the entries are `.mcp.json` expanded for this checkout with absolute paths
(the .venv's Python, the project's .env, the vault). Other servers in the file are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestrator.mcp_config import PROJECT_ROOT


def register(sub: Any) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add the four servers to Claude Desktop's claude_desktop_config.json (or --print them)",
    )
    p.add_argument("--print", dest="print_only", action="store_true", help="print the entries; change nothing")
    p.add_argument("--config", help="the Desktop config file (default: this system's usual place)")
    p.add_argument("--vault", help="the vault the servers use (default: VAULT_PATH from .env, else ./vault)")
    p.add_argument("--force", action="store_true", help="replace same-named servers that are not AI Employee's")
    p.set_defaults(handler=run)


def default_config_path(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> Path:
    home = Path(environ.get("HOME") or Path.home())
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
    if platform.startswith("win"):
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / "Claude" / "claude_desktop_config.json"
    # No official Linux app; community builds read the XDG location.
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "Claude" / "claude_desktop_config.json"


def project_vault(project: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """VAULT_PATH from the environment, else from the project's .env, else <project>/vault; absolute."""
    from dotenv import dotenv_values

    value = environ.get("VAULT_PATH") or dotenv_values(project / ".env").get("VAULT_PATH") or "vault"
    path = Path(value).expanduser()
    return path if path.is_absolute() else (project / path).resolve()


def desktop_entries(project: Path, vault: Path) -> dict[str, dict[str, Any]]:
    """`.mcp.json` expanded for `project`, pinned to `vault`: absolute paths only, no variables. Desktop's
    working folder is undefined, so the project's `.env` is named; the secrets come from the per-user file,
    which the servers find from HOME."""
    from orchestrator import mcp_config

    entries: dict[str, dict[str, Any]] = {}
    for name, server in mcp_config.load(project, {"CLAUDE_PROJECT_DIR": str(project)}).items():
        entries[name] = {
            "command": server.command,
            "args": [*server.args, "--vault", str(vault)],
            "env": {**server.env, "AI_EMPLOYEE_ENV_FILE": str(project / ".env")},
        }
    return entries


def _ours(entry: Any, project: Path) -> bool:
    return isinstance(entry, dict) and str(entry.get("command", "")).startswith(str(project))


def merge(
    existing: dict[str, Any], entries: dict[str, dict[str, Any]], project: Path, *, force: bool = False
) -> tuple[dict[str, Any], list[str], list[str]]:
    """The config with our entries set and everything else kept; returns (config, changed names,
    conflicting names). A same-named server that is not ours is a conflict unless `force`."""
    servers = existing.get("mcpServers")
    servers = dict(servers) if isinstance(servers, dict) else {}
    conflicts = [n for n in entries if n in servers and not _ours(servers[n], project) and not force]
    if conflicts:
        return existing, [], conflicts
    changed = [n for n, entry in entries.items() if servers.get(n) != entry]
    servers.update(entries)
    return {**existing, "mcpServers": servers}, changed, []


def _write(path: Path, config: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.with_name(path.name + ".bak").write_bytes(path.read_bytes())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    os.replace(tmp, path)


def run(args: argparse.Namespace) -> int:
    project = PROJECT_ROOT
    vault = Path(args.vault).expanduser().resolve() if args.vault else project_vault(project)
    entries = desktop_entries(project, vault)
    if args.print_only:
        print(json.dumps({"mcpServers": entries}, indent=2))
        return 0
    python = Path(next(iter(entries.values()))["command"])
    if not python.exists():
        print(f"install-desktop: {python} does not exist yet; run `make install` first.", file=sys.stderr)
        return 2
    path = Path(args.config).expanduser() if args.config else default_config_path()
    try:
        existing = json.loads(path.read_text("utf-8")) if path.exists() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"install-desktop: {path} is not valid JSON ({exc}); fix or move it, then run again.", file=sys.stderr)
        return 2
    if not isinstance(existing, dict):
        print(f"install-desktop: {path} does not hold a JSON object; fix or move it.", file=sys.stderr)
        return 2
    config, changed, conflicts = merge(existing, entries, project, force=args.force)
    if conflicts:
        print(
            f"install-desktop: {path} already has server(s) named {', '.join(conflicts)} that are not AI "
            "Employee's; nothing changed. Rename them, or run again with --force to replace them.",
            file=sys.stderr,
        )
        return 2
    if changed:
        _write(path, config)
    print(f"{'Updated' if changed else 'Already up to date:'} {path}: {', '.join(entries)} (vault {vault})")
    print("Restart Claude Desktop to load them. Other servers in the file were kept.")
    return 0
