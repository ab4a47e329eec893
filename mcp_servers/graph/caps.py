"""The client-side cap on Graph calls (`<SVC>_RATE_LIMIT_PER_HOUR`), counted in the vault so every
process on it shares one count; a throttle Meta reports is remembered there too. Never sleeps."""

from __future__ import annotations

import time

from mcp_servers.core.resilience import RateLimiter

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
