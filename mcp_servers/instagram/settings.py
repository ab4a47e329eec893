"""Settings of the Instagram service (`INSTAGRAM_` prefix): mode, account id and token, API version, caps."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.settings import ServiceSettings
from mcp_servers.graph.client import DEFAULT_VERSION, FACEBOOK_HOST
from mcp_servers.graph.versions import api_version
from mcp_servers.instagram.const import DEFAULT_CALLS_PER_HOUR, PUBLISH_WAIT_S


class InstagramSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INSTAGRAM_", extra="ignore")
    live_required: ClassVar[tuple[str, ...]] = ("account_id", "access_token")

    account_id: str | None = Field(default=None, description="The Instagram professional account id")
    access_token: SecretStr | None = Field(default=None, description="Page token (Facebook Login) or IG token")
    app_secret: SecretStr | None = Field(default=None, description="Adds appsecret_proof to every call")
    app_id: str | None = Field(default=None, description="The Meta app's id; needed to read the token's expiry")
    api_version: str = DEFAULT_VERSION
    base_url: str = FACEBOOK_HOST
    rate_limit_per_hour: int = Field(default=DEFAULT_CALLS_PER_HOUR, ge=1, description="Client-side cap")
    publish_wait_s: float = Field(default=PUBLISH_WAIT_S, gt=0, le=120, description="Longest wait for a container")

    @field_validator("api_version")
    @classmethod
    def _version(cls, value: str) -> str:
        return api_version(value)
