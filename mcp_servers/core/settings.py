"""Settings: the environment first, then `.env` in the working directory; one prefix per service.

`CoreSettings` holds what every process shares (vault, signing key, policy thresholds, time zone).
Each service subclasses `ServiceSettings` with its prefix (`ODOO_`, `FACEBOOK_`, …) and names the
fields a live run cannot do without; `check()` refuses a live service with any of them missing,
naming the variable, and refuses values `.mcp.json` left unexpanded (`${VAR}`).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mcp_servers.core.errors import ConfigError

Mode = Literal["sandbox", "live"]
SERVICES = ("odoo", "facebook", "instagram", "twitter")


def env_file() -> Path:
    """The `.env` read after the environment: `AI_EMPLOYEE_ENV_FILE`, else `./.env`."""
    return Path(os.environ.get("AI_EMPLOYEE_ENV_FILE", ".env"))


class _Base(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_file_encoding="utf-8", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(_env_file=env_file(), **values)  # type: ignore[call-arg]
        self._refuse_unexpanded()

    def _refuse_unexpanded(self) -> None:
        prefix = self.model_config.get("env_prefix", "")
        for name in type(self).model_fields:
            value = getattr(self, name)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if isinstance(raw, str) and raw.startswith("${"):
                raise ConfigError(
                    f"{prefix}{name.upper()} is set to {raw!r}: the variable it names is not set, so it was "
                    "passed through unexpanded (Claude Code does this for ${VAR} without a default)."
                )


class CoreSettings(_Base):
    """Shared by every server, the orchestrator and the CLI (no prefix)."""

    vault_path: Path = Field(default=Path("vault"), description="The Obsidian vault")
    approval_signing_key: SecretStr | None = None
    approval_expiry_hours: int = Field(default=168, ge=1)
    timezone: str = Field(default="", description="IANA zone for schedules; empty = this machine's")
    policy_auto_approve_scheduled_posts: bool = True
    policy_auto_approve_max_amount: Decimal = Field(default=Decimal("100"), ge=0)
    policy_require_recurring_for_auto_approve: bool = True
    policy_payee_daily_cap: Decimal = Field(
        default=Decimal("100"), ge=0, description="Most money auto-approved per payee in any 24 h (company currency)"
    )
    company_currency: str = "USD"

    def signing_key(self) -> bytes:
        """The HMAC key; refuses to run without one (never a default key)."""
        key = self.approval_signing_key.get_secret_value() if self.approval_signing_key else ""
        if len(key) < 32:
            raise ConfigError(
                "APPROVAL_SIGNING_KEY is missing or shorter than 32 characters. Run `ai-employee init` to "
                "generate one in .env, or set it in the environment."
            )
        return key.encode()


class ServiceSettings(_Base):
    """Base of each service's settings. Subclasses set `env_prefix` and `live_required`."""

    mode: Mode = "sandbox"
    live_required: ClassVar[tuple[str, ...]] = ()

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_lowercase(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def service(self) -> str:
        return str(self.model_config.get("env_prefix", "")).rstrip("_").lower()

    @property
    def mode_label(self) -> str:
        return "SANDBOX" if self.mode == "sandbox" else "LIVE"

    def missing_live_variables(self) -> list[str]:
        prefix = self.model_config.get("env_prefix", "")
        missing = []
        for name in self.live_required:
            value = getattr(self, name)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if raw in (None, ""):
                missing.append(f"{prefix}{name.upper()}")
        return missing

    def check(self) -> None:
        """Refuse to start a live service without its credentials, naming every missing variable."""
        missing = self.missing_live_variables() if self.mode == "live" else []
        if missing:
            prefix = self.model_config.get("env_prefix", "")
            raise ConfigError(
                f"{prefix}MODE=live needs {', '.join(missing)} (set in the environment or .env). "
                f"Set {prefix}MODE=sandbox to use the built-in emulator instead."
            )


def resolve_vault(cli_value: str | Path | None = None) -> Path:
    """`--vault`, else `VAULT_PATH` (environment or .env), else `./vault`."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    return CoreSettings().vault_path.expanduser().resolve()
