"""The client-side cap on Graph calls (`<SVC>_RATE_LIMIT_PER_HOUR`), counted in the vault so every
process on it shares one count; a throttle Meta reports is remembered there too. Never sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from mcp_servers.core.resilience import RateLimiter
from mcp_servers.core.vault import Vault

if TYPE_CHECKING:
    from mcp_servers.graph.client import GraphClient

HOUR = 3600.0


class CallCap:
    def __init__(self, limiter: RateLimiter, service: str, label: str, per_hour: int) -> None:
        self.limiter, self.key, self.per_hour = limiter, f"{service}.calls", per_hour
        self.what = f"{label}: the client-side cap on Graph calls is used up"

    def acquire(self) -> None:
        """Count one call, or raise `RateLimited` before anything is sent."""
        self.limiter.acquire(self.key, self.per_hour, HOUR, self.what)

    def check(self, calls: int = 1) -> str:
        """Raise `RateLimited` if used up; else a line for the preview."""
        self.limiter.check(self.key, self.per_hour, HOUR, self.what)
        left = self.limiter.remaining(self.key, self.per_hour, HOUR)
        if left < calls:
            self.limiter.check(self.key, left, HOUR, self.what)
        return f"{left} of {self.per_hour} Graph calls left this hour (client-side cap; this needs {calls})"

    def block(self, seconds: float) -> None:
        self.limiter.block_until(self.key, time.time() + seconds)


def connect_graph(
    settings: Any,
    vault: Vault,
    *,
    service: str,
    label: str,
    token: SecretStr | None,
    token_var: str,
    sandbox: Callable[[], tuple[Any, str]] | None,
) -> tuple[GraphClient, CallCap]:
    """The Graph client and call cap a Facebook or Instagram client is built on. In sandbox mode
    `sandbox()` gives the emulator's transport adapter and the token it accepts."""
    from mcp_servers.graph.client import GraphClient

    cap = CallCap(RateLimiter(vault), service, label, settings.rate_limit_per_hour)
    secret = token.get_secret_value() if token else ""
    adapter = None
    if settings.mode == "sandbox" and sandbox is not None:
        adapter, sandbox_token = sandbox()
        secret = secret or sandbox_token
    graph = GraphClient(
        label=label,
        access_token=secret,
        base_url=settings.base_url,
        api_version=settings.api_version,
        app_secret=settings.app_secret.get_secret_value() if settings.app_secret else None,
        token_var=token_var,
        version_var=f"{service.upper()}_API_VERSION",
        adapter=adapter,
        before_request=cap.acquire,
        on_rate_limited=cap.block,
    )
    return graph, cap
