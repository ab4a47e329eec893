"""Graph rate-limit headers (`X-App-Usage`, `X-Business-Use-Case-Usage`, `X-Page-Usage`) parsed into
one state: the highest usage percentage seen and, when throttled, how long to wait."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

USAGE_HEADERS = ("x-app-usage", "x-business-use-case-usage", "x-page-usage")
# X-App-Usage counts a rolling hour and carries no estimate: an hour is the honest upper bound.
ROLLING_WINDOW_S = 3600.0
# Throttled by the error code while every header is below 100 %: a short pause usually clears it.
UNSPECIFIED_WAIT_S = 60.0


@dataclass
class UsageState:
    """What the last response said about our quota; percentages are 0–100 (Meta throttles at 100)."""

    app: dict[str, float] = field(default_factory=dict)
    business: dict[str, dict[str, float]] = field(default_factory=dict)
    page: dict[str, float] = field(default_factory=dict)
    regain_minutes: float | None = None
    api_version: str | None = None

    @property
    def peak_percent(self) -> float:
        values = [*self.app.values(), *self.page.values()]
        values += [v for entry in self.business.values() for v in entry.values()]
        return max(values, default=0.0)

    @property
    def throttled(self) -> bool:
        return self.peak_percent >= 100 or bool(self.regain_minutes)

    def retry_after(self) -> float:
        """Seconds to wait after a rate-limit error: Meta's estimate, else the rolling window."""
        if self.regain_minutes:
            return self.regain_minutes * 60.0
        if self.peak_percent >= 100:
            return ROLLING_WINDOW_S
        return UNSPECIFIED_WAIT_S

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"peak_usage_percent": round(self.peak_percent, 1)}
        if self.regain_minutes:
            out["estimated_minutes_to_regain_access"] = self.regain_minutes
        if self.api_version:
            out["api_version_served"] = self.api_version
        return out


def _percentages(raw: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in raw.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def _json(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None  # a malformed header must never break the call it came with


def parse_usage(headers: Mapping[str, str]) -> UsageState:
    """Parse whichever usage headers are present (case-insensitive names)."""
    lower = {k.lower(): v for k, v in headers.items()}
    state = UsageState(api_version=lower.get("facebook-api-version"))
    waits: list[float] = []
    app = _json(lower.get("x-app-usage"))
    if isinstance(app, dict):
        state.app = _percentages(app)
    page = _json(lower.get("x-page-usage"))
    if isinstance(page, dict):
        state.page = _percentages(page)
        if isinstance(page.get("estimated_time_to_regain_access"), int | float):
            waits.append(float(page["estimated_time_to_regain_access"]))
    buc = _json(lower.get("x-business-use-case-usage"))
    if isinstance(buc, dict):
        for object_id, entries in buc.items():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                kind = str(entry.get("type", "usage"))
                nums = _percentages(entry)
                wait = nums.pop("estimated_time_to_regain_access", None)
                if wait:
                    waits.append(wait)
                state.business[f"{object_id}:{kind}"] = nums
    state.regain_minutes = max(waits) if waits and max(waits) > 0 else None
    return state
