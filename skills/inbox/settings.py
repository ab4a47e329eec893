"""Settings of the social inbox job (`INBOX_` prefix)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.settings import _Base


class InboxSettings(_Base):
    """INBOX_* variables: how often the job runs, how far back it looks, and what X may cost."""

    model_config = SettingsConfigDict(
        env_prefix="INBOX_", extra="ignore", env_file_encoding="utf-8", validate_default=True
    )

    interval_minutes: int = Field(default=60, ge=5, le=1440, description="How often the inbox job runs")
    lookback_days: int = Field(default=14, ge=1, le=90, description="Only posts this recent are read")
    max_posts: int = Field(default=10, ge=1, le=50, description="Recent posts read per platform and run")
    x_max_reads_per_day: int = Field(
        default=100, ge=0, le=10000, description="X posts read per UTC day at most (pay-per-use); 0 = X not read"
    )
