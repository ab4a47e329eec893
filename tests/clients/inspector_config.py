"""Writes the MCP Inspector's session config for tests/clients/run.sh: the servers of `.mcp.json`,
expanded as Claude Code would for this checkout, but pinned to sandbox mode and a throwaway vault
so the check can never touch a real account or the developer's vault.

    python -m tests.clients.inspector_config OUT_JSON WORK_DIR   → prints "<server> <read tool>" lines
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from orchestrator import mcp_config

ROOT = mcp_config.PROJECT_ROOT
READ_TOOL = {"odoo": "get_status", "facebook": "get_page", "instagram": "get_account", "twitter": "get_me"}
CI_KEY = "inspector-check-signing-key-" + "0" * 40


def main(out: Path, work: Path) -> int:
    environ = {**os.environ, "CLAUDE_PROJECT_DIR": str(ROOT)}
    servers = {}
    for name, server in mcp_config.load(ROOT, environ).items():
        env = {
            **server.env,
            "AI_EMPLOYEE_ENV_FILE": str(work / "no.env"),  # never the developer's .env (live credentials)
            "VAULT_PATH": str(work / "vault"),
            "APPROVAL_SIGNING_KEY": CI_KEY,
            f"{name.upper()}_MODE": "sandbox",
        }
        servers[name] = {"type": "stdio", "command": server.command, "args": server.args, "env": env, "cwd": str(work)}
        print(name, READ_TOOL[name])
    out.write_text(json.dumps({"mcpServers": servers}, indent=2), "utf-8")
    return 0 if servers else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
