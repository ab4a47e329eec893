"""The peer: `mcp-server-odoo` from PyPI in its own virtualenv, pointed at our Odoo emulator."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks._common import ROOT, base_env, free_port, wait_for_port

PEER_VERSION = "0.9.0"
PEER_VENV = ROOT / "benchmarks" / ".peer-venv"


def ensure_peer() -> Path | None:
    """The peer's python, installing it on first use; None (with the reason printed) if impossible."""
    python = PEER_VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"installing mcp-server-odoo=={PEER_VERSION} into {PEER_VENV} (first run only)…", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"mcp-server-odoo=={PEER_VERSION}",
            ],
            check=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"peer not available: {exc}")
        return None
    return python


@contextmanager
def odoo_emulator(version: int = 17) -> Iterator[str]:
    """The standalone emulator (`python -m mcp_servers.odoo.sandbox`) on a free port; yields its URL."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mcp_servers.odoo.sandbox",
                "--port",
                str(port),
                "--odoo-version",
                str(version),
                "--state",
                str(Path(tmp) / "odoo.json"),
            ],
            env=base_env(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, 60)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(10)


def peer_env(url: str) -> dict[str, str]:
    return base_env(
        ODOO_URL=url,
        ODOO_DB="sandbox",
        ODOO_USER="admin",
        ODOO_PASSWORD="admin",
        ODOO_YOLO="read",
        ODOO_MCP_LOG_LEVEL="WARNING",
    )
