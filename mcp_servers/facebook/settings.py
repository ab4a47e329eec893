"""Settings of the Facebook service (`FACEBOOK_` prefix): mode, Page id and token, API version, call cap."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.settings import ServiceSettings
from mcp_servers.facebook.const import DEFAULT_CALLS_PER_HOUR
from mcp_servers.graph.client import DEFAULT_VERSION, FACEBOOK_HOST
from mcp_servers.graph.versions import api_version


class FacebookSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FACEBOOK_", extra="ignore")
    live_required: ClassVar[tuple[str, ...]] = ("page_id", "page_access_token")

    page_id: str | None = Field(default=None, description="The Page's numeric id")
    page_access_token: SecretStr | None = Field(default=None, description="A long-lived Page access token")
    app_secret: SecretStr | None = Field(default=None, description="Adds appsecret_proof to every call")
    app_id: str | None = Field(default=None, description="The Meta app's id; needed to read the token's expiry")
    api_version: str = DEFAULT_VERSION
    base_url: str = FACEBOOK_HOST
    rate_limit_per_hour: int = Field(default=DEFAULT_CALLS_PER_HOUR, ge=1, description="Client-side cap")

    @field_validator("api_version")
    @classmethod
    def _version(cls, value: str) -> str:
        return api_version(value)
