"""`ai-employee doctor`: configuration, credentials, reachability and token expiry, each with its fix.

Every check returns a `Check` (ok / warn / fail, what was found, what to do). Reachability of a live
service is a TCP connect to its host (no credentials are sent); sandbox services run on the built-in
emulators and need nothing.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlparse

from mcp_servers.core.errors import ConfigError
from mcp_servers.core.service import load_service
from mcp_servers.core.settings import (
    SERVICES,
    CoreSettings,
    ServiceSettings,
    env_file,
    resolve_vault,
    user_config_file,
)
from mcp_servers.core.vault import FOLDERS, Vault

Level = Literal["ok", "warn", "fail"]
_HOST_FIELDS = ("url", "base_url", "api_host")


@dataclass(frozen=True)
class Check:
    area: str
    level: Level
    message: str
    fix: str = ""


def secrets_check() -> Check:
    """Where the secrets are: the per-user file (private) is right; any secret in the project's `.env`
    is readable by the model's tools, so doctor says to move it (names only, never values)."""
    from orchestrator.init import env_values, is_secret

    user, project = user_config_file(), env_file()
    exposed = sorted(name for name, value in env_values(project).items() if is_secret(name) and value)
    if exposed:
        return Check(
            "secrets",
            "warn",
            f"{project.resolve()} holds {', '.join(exposed)}: files in the project folder are within the "
            "model's reach (Claude Code can read them)",
            f"run `ai-employee init --move-secrets` (moves them to {user}, mode 600)",
        )
    if user.is_file() and user.stat().st_mode & 0o077:
        return Check("secrets", "warn", f"{user} is readable by other users", f"run `chmod 600 {user}`")
    if user.is_file():
        return Check("secrets", "ok", f"kept in {user}, outside the project and the vault")
    return Check("secrets", "warn", f"no per-user secrets file at {user}", "run `ai-employee init`")


def core_checks(vault_arg: str | None) -> list[Check]:
    checks = []
    path = env_file()
    checks.append(
        Check("settings", "ok", f"reading {path.resolve()}")
        if path.is_file()
        else Check("settings", "warn", f"no settings file at {path.resolve()}", "run `ai-employee init`")
    )
    checks.append(secrets_check())
    try:
        CoreSettings().signing_key()
        checks.append(Check("signing key", "ok", "APPROVAL_SIGNING_KEY is set"))
    except ConfigError as exc:
        checks.append(
            Check(
                "signing key", "fail", exc.message, f"run `ai-employee init` (it generates one in {user_config_file()})"
            )
        )
    root = resolve_vault(vault_arg)
    missing = [name for name in FOLDERS if not (root / name).is_dir()]
    if not root.is_dir():
        checks.append(Check("vault", "fail", f"no vault at {root}", f"run `ai-employee init --vault {root}`"))
    elif missing:
        checks.append(
            Check("vault", "warn", f"{root} lacks {', '.join(missing)}", "run `ai-employee init` (keeps files)")
        )
    else:
        checks.append(Check("vault", "ok", str(root)))
    timezone = CoreSettings().timezone
    try:
        from orchestrator.scheduler import zone

        checks.append(Check("time zone", "ok", str(zone(timezone))))
    except Exception:
        checks.append(
            Check("time zone", "fail", f"TIMEZONE={timezone!r} is not a known zone", "use e.g. Europe/Berlin")
        )
    return checks


def _host(settings: ServiceSettings) -> str | None:
    for name in _HOST_FIELDS:
        value = getattr(settings, name, None)
        if isinstance(value, str) and value.startswith("http"):
            return value
    return None


def reachable(url: str, timeout: float = 3.0) -> str | None:
    """None if a TCP connection to the URL's host opens; else why not."""
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "", port), timeout=timeout):
            return None
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def token_check(service: str, vault: Vault | None, now: datetime, *, network: bool = True) -> Check:
    """The token's expiry and, when it is near, unknown or over, how to get a new one."""
    from orchestrator.tokens import LIVE_INSPECTED, WARNING_DAYS, token_expiry

    area = service
    if service in LIVE_INSPECTED and not network:
        return Check(area, "warn", "token expiry not checked (--offline)", "run `ai-employee doctor` online")
    if vault is None and service in LIVE_INSPECTED:
        return Check(area, "warn", "token expiry not checked (no vault)", "run `ai-employee init`")
    expiry = token_expiry(service, vault or Vault(resolve_vault(None)))
    text = ("token " if expiry.status == "never" else "") + expiry.describe(now)
    deadline = expiry.deadline()
    if expiry.status in ("invalid", "expired") or (deadline is not None and deadline <= now):
        return Check(area, "fail", text, expiry.fix)
    if expiry.status == "unknown":
        if service in LIVE_INSPECTED:
            return Check(area, "warn", text, expiry.fix)
        return Check(area, "ok", f"{text}; {expiry.fix}")
    if deadline is not None and deadline - now <= timedelta(days=WARNING_DAYS):
        return Check(area, "warn", text, expiry.fix)
    return Check(area, "ok", text)


def graph_version_check(service: str, settings: ServiceSettings, today: date) -> list[Check]:
    """Facebook/Instagram: a warning when the pinned Graph version ends within 30 days."""
    version = getattr(settings, "api_version", None)
    if service not in ("facebook", "instagram") or not isinstance(version, str):
        return []
    from mcp_servers.graph import versions

    note = versions.warning(version, today)
    if note is None:
        until = versions.end_date(version)
        served = f"served until {until:%Y-%m-%d}" if until else "no end date announced"
        return [Check(service, "ok", f"Graph API {version} ({served})")]
    return [Check(service, "warn", note, f"set {service.upper()}_API_VERSION={versions.DEFAULT_VERSION} in .env")]


def service_checks(
    service: str, *, network: bool = True, vault: Vault | None = None, now: datetime | None = None
) -> list[Check]:
    area = service
    definition = load_service(service)
    try:
        settings = definition.settings_cls()
    except Exception as exc:
        text = exc.message if isinstance(exc, ConfigError) else str(exc).splitlines()[0]
        return [Check(area, "fail", f"settings are invalid: {text}", f"fix the {service.upper()}_* lines in .env")]
    today = (now or datetime.now(UTC)).date()
    if settings.mode == "sandbox":
        return [
            *graph_version_check(service, settings, today),
            Check(area, "ok", "SANDBOX: built-in emulator, no account needed"),
            Check(area, "ok", "sandbox: no token to expire"),
        ]
    checks = graph_version_check(service, settings, today)
    missing = settings.missing_live_variables()
    if missing:
        checks.append(
            Check(
                area,
                "fail",
                f"LIVE but {', '.join(missing)} missing",
                f"set them in {user_config_file()} (secrets) or .env, or {service.upper()}_MODE=sandbox",
            )
        )
    else:
        checks.append(Check(area, "ok", "LIVE credentials are set"))
    url = _host(settings)
    if network and url:
        problem = reachable(url)
        checks.append(
            Check(area, "fail", f"{url} is not reachable: {problem}", "check the address and your network")
            if problem
            else Check(area, "ok", f"{url} is reachable")
        )
    if not missing and network and definition.login_check is not None:
        checks.append(_login(service, definition.login_check, settings))
    if not missing:
        checks.append(token_check(service, vault, now or datetime.now(UTC), network=network))
    return checks


def _login(service: str, login_check: Callable[[Any], tuple[bool, str, str]], settings: Any) -> Check:
    """Log in for real (Odoo), and say which of URL, database, login and key is wrong."""
    ok, message, fix = login_check(settings)
    return Check(service, "ok" if ok else "fail", message, fix)


def run_checks(vault_arg: str | None, *, network: bool = True, now: datetime | None = None) -> list[Check]:
    checks = core_checks(vault_arg)
    root = resolve_vault(vault_arg)
    vault = Vault(root) if root.is_dir() else None
    for service in SERVICES:
        checks += service_checks(service, network=network, vault=vault, now=now)
    from orchestrator.dashboard import read_status

    if root.is_dir():
        servers: dict[str, Any] = read_status(Vault(root))["servers"]
        running = any(s["state"] != "down" for s in servers.values())
        checks.append(
            Check("orchestrator", "ok", "running")
            if running
            else Check("orchestrator", "warn", "not running", "start it with `make run` or `ai-employee run`")
        )
    return checks


def format_checks(checks: list[Check]) -> str:
    marks = {"ok": "✔", "warn": "!", "fail": "✘"}
    lines = []
    for check in checks:
        lines.append(f"{marks[check.level]} {check.area:<14}{check.message}")
        if check.fix and check.level != "ok":
            lines.append(f"  {'':<14}→ {check.fix}")
    return "\n".join(lines)
