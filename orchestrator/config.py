"""The orchestrator's settings and the servers it supervises (`ServerSpec`), with their explicit environment.

A stdio child inherits only HOME, PATH and a few more (reference/mcp_sdk.md §3), so everything a server
reads from the environment is passed on purpose: the shared core settings, its own `<SVC>_*` variables
(from the environment, the per-user file and `.env`, in that order), `AI_EMPLOYEE_ENV_FILE` so it reads the
same `.env` as we do, and `XDG_CONFIG_HOME` so it finds the same per-user file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from mcp_servers.core.settings import SERVICES, CoreSettings, env_file, settings_files

CHILD_ENV_NAMES = ("LOG_LEVEL", "PYTHONPATH", "TZ", "LANG", "LC_ALL", "XDG_CONFIG_HOME")


class OrchestratorSettings(CoreSettings):
    """CoreSettings plus what only the orchestrator reads (environment, per-user file, then `.env`)."""

    health_check_interval: float = Field(default=30.0, gt=0, description="Seconds between health checks")
    health_check_timeout: float = Field(default=5.0, gt=0)
    rescan_interval: float = Field(default=300.0, gt=0, description="Seconds between full rescans of Approved/")
    max_concurrency: int = Field(default=4, ge=1, le=64, description="Requests executed at once")
    scheduler_jobstore_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in the vault")
    orchestrator_servers: str = Field(
        default="", description="Comma list of services (or name=python.module); empty = every installed one"
    )
    orchestrator_server_urls: str = Field(default="", description="name=http://host:port/mcp,… to connect by URL")
    dashboard_debounce: float = Field(default=1.0, ge=0)
    schedule_early_seconds: float = Field(
        default=60.0, ge=0, le=60, description="Run a scheduled request up to this early (the servers allow 60 s)"
    )


@dataclass(frozen=True)
class ServerSpec:
    """One supervised server: a command to spawn (stdio) or a URL to connect to (streamable HTTP)."""

    name: str
    command: str = sys.executable
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    cwd: str | None = None


def _parse_urls(text: str) -> dict[str, str]:
    urls = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, url = item.partition("=")
        if url:
            urls[name.strip()] = url.strip()
    return urls


def default_specs(settings: OrchestratorSettings, vault_root: Path) -> list[ServerSpec]:
    """The servers to supervise: `ORCHESTRATOR_SERVERS` (default: every installed service), each spawned
    as `python -m mcp_servers.<svc> --vault V` (or `name=package.module` for another server) unless
    `ORCHESTRATOR_SERVER_URLS` names a URL for it."""
    wanted = [s.strip() for s in settings.orchestrator_servers.split(",") if s.strip()] or list(SERVICES)
    urls = _parse_urls(settings.orchestrator_server_urls)
    specs = []
    for item in wanted:
        name, _, module = item.partition("=")
        name, module = name.strip(), module.strip() or f"mcp_servers.{name.strip()}"
        if name in urls:
            specs.append(ServerSpec(name=name, url=urls[name]))
        else:
            specs.append(ServerSpec(name=name, args=("-m", module, "--vault", str(vault_root))))
    return specs


def _dotenv() -> dict[str, str]:
    """The settings files' values, the per-user file winning over `.env` (as in CoreSettings)."""
    from dotenv import dotenv_values

    values: dict[str, str] = {}
    for path in settings_files():
        if path.is_file():
            values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    return values


def child_env(spec: ServerSpec, vault_root: Path, signing_key: bytes) -> dict[str, str]:
    """The complete environment handed to one server (beyond HOME, PATH, …)."""
    sources = {**_dotenv(), **os.environ}
    core_names = {name.upper() for name in CoreSettings.model_fields}
    prefix = spec.name.upper() + "_"
    env = {k: v for k, v in sources.items() if k in core_names or k.startswith(prefix) or k.startswith("POLICY_")}
    env.update({k: os.environ[k] for k in CHILD_ENV_NAMES if k in os.environ})
    env["APPROVAL_SIGNING_KEY"] = signing_key.decode()
    env["VAULT_PATH"] = str(vault_root)
    env["AI_EMPLOYEE_ENV_FILE"] = str(env_file().resolve())
    env.update(spec.env)
    return env
