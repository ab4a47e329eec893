"""`ai-employee doctor`: configuration, credentials, reachability and token expiry, each with its fix.

Every check returns a `Check` (ok / warn / fail, what was found, what to do). Reachability of a live
service is a TCP connect to its host (no credentials are sent); sandbox services run on the built-in
emulators and need nothing.
"""

from __future__ import annotations

import importlib
import inspect
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlparse

from mcp_servers.core.errors import ConfigError
from mcp_servers.core.settings import SERVICES, CoreSettings, ServiceSettings, env_file, resolve_vault
from mcp_servers.core.vault import FOLDERS, Vault

Level = Literal["ok", "warn", "fail"]
_SETTINGS_MODULES = ("settings", "client", "const", "server")
_HOST_FIELDS = ("url", "base_url", "api_host")


@dataclass(frozen=True)
class Check:
    area: str
    level: Level
    message: str
    fix: str = ""


def settings_class(service: str) -> type[ServiceSettings] | None:
    """The service's settings class (the `<SVC>_` prefixed ServiceSettings subclass in its package)."""
    prefix = service.upper() + "_"
    for module_name in _SETTINGS_MODULES:
        try:
            module = importlib.import_module(f"mcp_servers.{service}.{module_name}")
        except ImportError:
            continue
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, ServiceSettings)
                and value is not ServiceSettings
                and value.model_config.get("env_prefix") == prefix
            ):
                return value
    return None


def core_checks(vault_arg: str | None) -> list[Check]:
    checks = []
    path = env_file()
    checks.append(
        Check("settings", "ok", f"reading {path.resolve()}")
        if path.is_file()
        else Check("settings", "warn", f"no settings file at {path.resolve()}", "run `ai-employee init`")
    )
    try:
        CoreSettings().signing_key()
        checks.append(Check("signing key", "ok", "APPROVAL_SIGNING_KEY is set"))
    except ConfigError as exc:
        checks.append(Check("signing key", "fail", exc.message, "run `ai-employee init` (it generates one in .env)"))
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


def service_checks(
    service: str, *, network: bool = True, vault: Vault | None = None, now: datetime | None = None
) -> list[Check]:
    area = service
    if importlib.util.find_spec(f"mcp_servers.{service}") is None:
        return [Check(area, "warn", "not installed in this checkout", "update the project")]
    cls = settings_class(service)
    if cls is None:
        return [Check(area, "warn", "its settings could not be found (the server may not be built yet)")]
    try:
        settings = cls()
    except Exception as exc:
        text = exc.message if isinstance(exc, ConfigError) else str(exc).splitlines()[0]
        return [Check(area, "fail", f"settings are invalid: {text}", f"fix the {service.upper()}_* lines in .env")]
    if settings.mode == "sandbox":
        return [
            Check(area, "ok", "SANDBOX: built-in emulator, no account needed"),
            Check(area, "ok", "sandbox: no token to expire"),
        ]
    checks = []
    missing = settings.missing_live_variables()
    if missing:
        checks.append(
            Check(
                area,
                "fail",
                f"LIVE but {', '.join(missing)} missing",
                f"set them in .env, or {service.upper()}_MODE=sandbox",
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
    if not missing and network and service == "odoo":
        checks.append(_odoo_login(settings))
    if not missing:
        checks.append(token_check(service, vault, now or datetime.now(UTC), network=network))
    return checks


def _odoo_login(settings: Any) -> Check:
    """Odoo: log in for real, and say which of URL, database, login and key is wrong."""
    from mcp_servers.odoo.server import login_check

    ok, message, fix = login_check(settings)
    return Check("odoo", "ok" if ok else "fail", message, fix)


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
