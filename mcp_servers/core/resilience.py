"""Resilience: retries for reads only, a circuit breaker per service, and rate-limit bookkeeping that
answers "retry after N s" instead of sleeping.

- `retry_read`: exponential backoff with jitter (tenacity), only on `Unavailable`. Never put it on a
  write: a write that may have reached the service is `Ambiguous`, not retried.
- `CircuitBreaker`: 5 failures within 60 s open it; after 30 s one trial call is let through;
  2 successes close it. While open it answers at once with `Unavailable`.
- `RateLimiter`: sliding-window counters in `vault/.ai_employee/ratelimits/`, shared by processes.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from mcp_servers.core.errors import RateLimited, Unavailable
from mcp_servers.core.vault import Vault, atomic_write, file_lock

P = ParamSpec("P")
T = TypeVar("T")


def retry_read(
    attempts: int = 3, initial: float = 0.2, maximum: float = 2.0
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retry a read on `Unavailable` with exponential backoff and jitter; re-raise the last error."""
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

    return retry(
        retry=retry_if_exception_type(Unavailable),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial),
        reraise=True,
    )


@dataclass
class BreakerConfig:
    failure_threshold: int = 5
    window_s: float = 60.0
    open_s: float = 30.0
    close_after_successes: int = 2


class CircuitBreaker:
    """closed → (5 failures in 60 s) → open → (30 s) → half-open: one trial at a time → 2 successes → closed."""

    def __init__(self, service: str, config: BreakerConfig | None = None, clock: Callable[[], float] = time.monotonic):
        self.service = service
        self.config = config or BreakerConfig()
        self._clock = clock
        self._failures: deque[float] = deque()
        self._opened_at: float | None = None
        self._successes = 0
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.config.open_s:
            return "half_open"
        return "open"

    def before_call(self) -> None:
        """Raise `Unavailable` at once while open (or while the half-open trial is under way)."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return
            if state == "half_open" and not self._trial_running:
                self._trial_running = True
                return
            wait = max(1, round(self.config.open_s - (self._clock() - (self._opened_at or 0))))
            raise Unavailable(
                f"{self.service} is unavailable: it failed {self.config.failure_threshold} times within "
                f"{self.config.window_s:.0f} s, so calls are paused. Try again in about {wait} s.",
                service=self.service,
            )

    def record_success(self) -> None:
        with self._lock:
            self._trial_running = False
            if self._opened_at is None:
                return
            self._successes += 1
            if self._successes >= self.config.close_after_successes:
                self._opened_at, self._successes = None, 0
                self._failures.clear()

    def record_failure(self) -> None:
        with self._lock:
            now = self._clock()
            self._trial_running = False
            if self._opened_at is not None:  # a failed trial opens it again for a full period
                self._opened_at, self._successes = now, 0
                return
            self._failures.append(now)
            while self._failures and now - self._failures[0] > self.config.window_s:
                self._failures.popleft()
            if len(self._failures) >= self.config.failure_threshold:
                self._opened_at, self._successes = now, 0

    def call(self, fn: Callable[[], T]) -> T:
        self.before_call()
        try:
            result = fn()
        except Unavailable:
            self.record_failure()
            raise
        except BaseException:
            self.record_success()  # the service answered (with an error of ours): it is up
            raise
        self.record_success()
        return result


class RateLimiter:
    """Client-side caps shared by every process on the vault; reports, never sleeps."""

    def __init__(self, vault: Vault, clock: Callable[[], float] = time.time) -> None:
        self.folder = vault.state_dir / "ratelimits"
        self._clock = clock

    def _path(self, key: str) -> Any:
        if not re.fullmatch(r"[a-z0-9_.:-]{1,80}", key):
            raise ValueError(f"bad rate-limit key {key!r}")
        return self.folder / f"{key}.json"

    def _load(self, key: str) -> dict[str, Any]:
        path = self._path(key)
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return {"events": [], "blocked_until": 0.0}
        return data if isinstance(data, dict) else {"events": [], "blocked_until": 0.0}

    def _retry_after(
        self, data: dict[str, Any], limit: int, window_s: float, now: float, count: int = 1
    ) -> float | None:
        if data.get("blocked_until", 0) > now:
            return float(data["blocked_until"]) - now
        if count > limit:
            return window_s  # can never fit; say so rather than promise a time
        events = sorted(t for t in data.get("events", []) if now - t < window_s)
        overflow = len(events) + count - limit
        if overflow > 0:
            return float(events[overflow - 1]) + window_s - now
        return None

    def check(self, key: str, limit: int, window_s: float, what: str, count: int = 1) -> None:
        """Raise `RateLimited` if `count` more events would exceed `limit` per `window_s`."""
        now = self._clock()
        retry_after = self._retry_after(self._load(key), limit, window_s, now, count)
        if retry_after is not None:
            raise RateLimited(f"{what}: the limit is {limit} per {_span(window_s)}.", retry_after=retry_after)

    def acquire(self, key: str, limit: int, window_s: float, what: str, count: int = 1) -> None:
        """Check and record `count` events atomically across processes."""
        path = self._path(key)
        with file_lock(path.with_suffix(".lock")):
            now = self._clock()
            data = self._load(key)
            retry_after = self._retry_after(data, limit, window_s, now, count)
            if retry_after is not None:
                raise RateLimited(f"{what}: the limit is {limit} per {_span(window_s)}.", retry_after=retry_after)
            data["events"] = [t for t in data.get("events", []) if now - t < window_s] + [now] * count
            atomic_write(path, json.dumps(data))

    def remaining(self, key: str, limit: int, window_s: float) -> int:
        now = self._clock()
        events = [t for t in self._load(key).get("events", []) if now - t < window_s]
        return max(0, limit - len(events))

    def block_until(self, key: str, until: float) -> None:
        """Remember a limit the service itself reported (e.g. a 429's reset time)."""
        path = self._path(key)
        with file_lock(path.with_suffix(".lock")):
            data = self._load(key)
            data["blocked_until"] = max(float(data.get("blocked_until", 0)), until)
            atomic_write(path, json.dumps(data))


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return "hour" if hours == 1 else f"{hours} h"
    return f"{seconds:.0f} s"
