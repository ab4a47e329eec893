"""Insights one metric at a time when Graph refuses the whole call for one bad metric (one rule for
Facebook and Instagram; it was two copies)."""

from __future__ import annotations

from typing import Any

import pytest

from mcp_servers.core.errors import InvalidInput, Unavailable
from mcp_servers.graph.insights import NO_REPLACEMENT, read_each

REMOVED = {"impressions": "views", "profile_views": None}


def _graph(calls: list[list[str]], bad: set[str]) -> Any:
    def read(metrics: list[str]) -> list[dict[str, Any]]:
        calls.append(metrics)
        if bad & set(metrics):
            raise InvalidInput("(#100) metric must be one of …", field="metric")
        return [{"name": m} for m in metrics]

    return read


def test_one_call_when_graph_accepts_every_metric() -> None:
    calls: list[list[str]] = []
    rows, dropped = read_each(_graph(calls, set()), ["views", "reach"], REMOVED)
    assert calls == [["views", "reach"]] and [r["name"] for r in rows] == ["views", "reach"] and dropped == []


def test_a_refused_call_is_retried_per_metric_keeping_the_good_ones() -> None:
    calls: list[list[str]] = []
    wanted = ["impressions", "reach", "profile_views", "odd"]
    rows, dropped = read_each(_graph(calls, {"impressions", "profile_views", "odd"}), wanted, REMOVED)
    assert calls == [wanted, ["impressions"], ["reach"], ["profile_views"], ["odd"]]
    assert [r["name"] for r in rows] == ["reach"]
    assert [(d.name, d.replacement) for d in dropped] == [
        ("impressions", "views"),
        ("profile_views", NO_REPLACEMENT),
        ("odd", None),
    ]


def test_an_outage_is_not_mistaken_for_a_bad_metric() -> None:
    def down(metrics: list[str]) -> list[dict[str, Any]]:
        raise Unavailable("Graph is down")

    with pytest.raises(Unavailable):
        read_each(down, ["views"], REMOVED)
