"""Insights on both Graph services: one call for every wanted metric, and when Graph refuses the whole call
for one bad metric (a removed one, or one with no data yet), one call per metric, keeping the rest and
listing each refused metric with its replacement."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from mcp_servers.core.errors import InvalidInput

NO_REPLACEMENT = "none: Meta removed it without a replacement"


class DroppedMetric(BaseModel):
    name: str
    reason: str
    replacement: str | None = None


def replacement(metric: str, removed: Mapping[str, str | None]) -> str | None:
    """What replaces a metric Meta removed (None: the metric was not removed, it just failed)."""
    if metric in removed:
        return removed[metric] or NO_REPLACEMENT
    return None


def read_each(
    read: Callable[[list[str]], list[dict[str, Any]]], wanted: list[str], removed: Mapping[str, str | None]
) -> tuple[list[dict[str, Any]], list[DroppedMetric]]:
    """The rows for `wanted` and the metrics Graph refused; `read(metrics)` is the client's insights call."""
    try:
        return read(wanted), []
    except InvalidInput:  # Graph rejects the whole call for one bad metric: find which, keep the rest
        rows: list[dict[str, Any]] = []
        dropped: list[DroppedMetric] = []
        for metric in wanted:
            try:
                rows += read([metric])
            except InvalidInput as exc:
                dropped.append(DroppedMetric(name=metric, reason=exc.message, replacement=replacement(metric, removed)))
        return rows, dropped
