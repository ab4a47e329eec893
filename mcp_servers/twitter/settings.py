"""Settings of the X service (`TWITTER_` prefix): mode, OAuth 1.0a credentials, caps and prices."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.settings import ServiceSettings
from mcp_servers.twitter import const


class TwitterSettings(ServiceSettings):
    """`TWITTER_MODE=live` needs the four OAuth 1.0a values of an app with Read and write permission."""

    model_config = SettingsConfigDict(env_prefix="TWITTER_", extra="ignore")
    live_required: ClassVar[tuple[str, ...]] = ("api_key", "api_secret", "access_token", "access_token_secret")

    api_key: SecretStr | None = None
    api_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    bearer_token: SecretStr | None = Field(default=None, description="Unused for writes; kept for app-only reads")
    api_host: str = Field(
        default=const.DEFAULT_API_HOST,
        pattern=r"^(https://[A-Za-z0-9.-]+|http://(127\.0\.0\.1|localhost))(:\d+)?$",
        description="https only; plain http just for a local emulator (tests, `sandbox.transport.serve`)",
    )
    timeout_s: float = Field(default=15.0, gt=0, le=120)
    post_limit: int = Field(default=const.DEFAULT_POST_LIMIT, ge=1, description="Posts per window (client cap)")
    post_window_hours: float = Field(default=24, gt=0)
    price_post: Decimal = Field(default=const.PRICE_POST, ge=0)
    price_post_with_url: Decimal = Field(default=const.PRICE_POST_WITH_URL, ge=0)
    price_reply: Decimal = Field(default=const.PRICE_REPLY, ge=0)
    price_delete: Decimal = Field(default=const.PRICE_DELETE, ge=0)
    price_media_metadata: Decimal = Field(default=const.PRICE_MEDIA_METADATA, ge=0)

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else ""
