"""Settings of the Odoo service (`ODOO_` prefix): mode, URL, database, login, API key or password."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.settings import ServiceSettings


class OdooSettings(ServiceSettings):
    """ODOO_* variables. Live mode needs URL, DB, USERNAME and an API key (or a password)."""

    model_config = SettingsConfigDict(
        env_prefix="ODOO_", extra="ignore", env_file_encoding="utf-8", validate_default=True
    )
    live_required: ClassVar[tuple[str, ...]] = ("url", "db", "username", "api_key")

    url: str = Field(default="", description="e.g. https://mycompany.odoo.com")
    db: str = ""
    username: str = Field(default="", description="The Odoo login (an email on Odoo Online)")
    api_key: SecretStr | None = None
    password: SecretStr | None = None
    protocol: Literal["auto", "xmlrpc", "json2"] = "auto"
    version: int = Field(default=19, ge=17, le=19, description="Sandbox only: which Odoo to emulate (17, 18, 19)")
    timeout: float = Field(default=30.0, gt=0, le=600)
    write_timeout: float = Field(
        default=45.0, gt=0, le=600, description="Most seconds a whole write may take before it is ambiguous"
    )

    def missing_live_variables(self) -> list[str]:
        missing = super().missing_live_variables()
        if "ODOO_API_KEY" in missing and self.password and self.password.get_secret_value():
            missing.remove("ODOO_API_KEY")
        return missing
