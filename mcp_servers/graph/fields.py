"""Graph's `fields=` parameter as the emulator applies it: an answer carries only the fields a request
names (plus `id`, which Graph always returns for a node), and a small default set when none are named
(developers.facebook.com/docs/graph-api/overview#fields; reference §"Checked against the 2026 docs")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def top_level(fields: str) -> list[str]:
    """The top-level names of a fields expression: `id,reactions.summary(total_count).limit(0),
    insights.metric(views){values}` → `["id", "reactions", "insights"]`."""
    names: list[str] = []
    depth, current = 0, ""
    for char in fields + ",":
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if char == "," and depth == 0:
            name = current.strip()
            for stop in ".({":
                name = name.split(stop, 1)[0]
            if name:
                names.append(name)
            current = ""
        else:
            current += char
    return names


def project(node: dict[str, Any], fields: str | None, defaults: Iterable[str]) -> dict[str, Any]:
    """`node` cut down to the requested fields (or `defaults`); `id` always stays. Fields without a value
    are left out, as Graph does."""
    wanted = top_level(fields) if fields else list(defaults)
    return {k: node[k] for k in dict.fromkeys(["id", *wanted]) if k in node and node[k] is not None}


def project_answer(body: Any, fields: str | None, defaults: Iterable[str]) -> Any:
    """Apply `project` to a node, or to each item of an edge answer (`{"data": [...], "paging": ...}`)."""
    if not isinstance(body, dict):
        return body
    if isinstance(body.get("data"), list):
        return {**body, "data": [project(item, fields, defaults) for item in body["data"]]}
    return project(body, fields, defaults)
