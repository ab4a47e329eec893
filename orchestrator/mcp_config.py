"""The project's `.mcp.json`, read and expanded the way Claude Code does, for the tests, the tools
table and the Claude Desktop installer (which needs the same servers with absolute paths).

Claude Code's rules (verified on 2.1.197 and 2.1.332, see docs/claude.md): only `${VAR}` and
`${VAR:-default}` expand, in `command`, `args`, `env`, `url` and `headers`; a set variable wins even
when empty; an unset `${VAR}` without a default is passed through literally (the servers refuse such
values); a bare `$VAR` is never expanded; defaults do not nest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_NAME = ".mcp.json"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class StdioServer:
    """One stdio server entry: what to start, with which arguments and extra environment."""

    name: str
    command: str
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def expand(text: str, environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """`text` with Claude Code's expansion applied, and the names left unexpanded (unset, no default)."""
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in environ:
            return environ[name]
        if default is not None:
            return default
        missing.append(name)
        return match.group(0)

    return _VARIABLE.sub(substitute, text), missing


def variables(text: str) -> list[tuple[str, str | None]]:
    """Every `${VAR}` / `${VAR:-default}` in `text`, as (name, default or None)."""
    return [(m.group(1), m.group(2)) for m in _VARIABLE.finditer(text)]


def load_raw(project: Path = PROJECT_ROOT) -> dict[str, StdioServer]:
    """The stdio servers exactly as written (unexpanded), in file order."""
    data = json.loads((project / CONFIG_NAME).read_text("utf-8"))
    servers: dict[str, StdioServer] = {}
    for name, entry in data["mcpServers"].items():
        if entry.get("type", "stdio") != "stdio":
            continue
        servers[name] = StdioServer(
            name=name,
            command=entry["command"],
            args=list(entry.get("args", [])),
            env=dict(entry.get("env", {})),
        )
    return servers


def expand_server(server: StdioServer, environ: Mapping[str, str]) -> tuple[StdioServer, list[str]]:
    """The entry as Claude Code would start it under `environ`, and any variables it left unexpanded."""
    missing: list[str] = []

    def one(text: str) -> str:
        value, names = expand(text, environ)
        missing.extend(names)
        return value

    expanded = StdioServer(
        name=server.name,
        command=one(server.command),
        args=[one(arg) for arg in server.args],
        env={key: one(value) for key, value in server.env.items()},
    )
    return expanded, missing


def load(project: Path, environ: Mapping[str, str]) -> dict[str, StdioServer]:
    """Every stdio server of `project/.mcp.json`, expanded under `environ`."""
    return {name: expand_server(server, environ)[0] for name, server in load_raw(project).items()}
