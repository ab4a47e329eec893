"""Contract checks against the real services' answers (`tests/<service>/fixtures/real/*.json`, each with its
source and date): the emulator's answer to a client request must have the real answer's shape, and the
client must read the real answer right.

Shape rules (`shape_problems`):
- every key the emulator answers is in the real answer, or is a field the request named (Graph and X
  answer only what is asked, so a recorded answer for other fields lacks it);
- a key in both has the same kind of value (number, string, bool, list, object; null matches anything),
  compared recursively (lists by their first item);
- a field the request named and the real answer has is in the emulator's answer too.
Error rules (`error_problems`): same code, subcode and type (Graph) or title, type and status (X); the
emulator adds no key the real error lacks (Graph's `fbtrace_id` is in every answer, per Meta's
error-handling guide), and carries the real answer's user-facing message fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

TESTS = Path(__file__).resolve().parents[1]
ALWAYS_ALLOWED = {"fbtrace_id"}


def real(service: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TESTS / service / "fixtures" / "real" / f"{name}.json").read_text())
    assert data.get("source") and data.get("retrieved"), f"{service}/{name}: every fixture names its source and date"
    return data


def all_real(service: str) -> list[str]:
    return sorted(p.stem for p in (TESTS / service / "fixtures" / "real").glob("*.json"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "list", dict: "object"}.get(type(value), "null" if value is None else "other")


def names(fields: str | Iterable[str]) -> set[str]:
    from mcp_servers.graph.fields import top_level

    return set(top_level(fields)) if isinstance(fields, str) else set(fields)


def shape_problems(emulated: Any, real_body: Any, requested: set[str], path: str = "") -> list[str]:
    if emulated is None or real_body is None:
        return []
    if isinstance(emulated, dict) and isinstance(real_body, dict):
        problems = []
        for key, value in emulated.items():
            if key in real_body:
                problems += shape_problems(value, real_body[key], requested, f"{path}{key}.")
            elif key not in requested:
                problems.append(f"{path}{key}: the emulator answers it, the real service does not")
        problems += [
            f"{path}{key}: requested and in the real answer, missing from the emulator's"
            for key in sorted((set(real_body) & requested) - set(emulated))
        ]
        return problems
    if isinstance(emulated, list) and isinstance(real_body, list):
        return shape_problems(emulated[0], real_body[0], requested, path + "[0].") if emulated and real_body else []
    if _kind(emulated) != _kind(real_body):
        return [f"{path.rstrip('.')}: {_kind(emulated)} in the emulator, {_kind(real_body)} in the real answer"]
    return []


def error_problems(emulated: Any, real_body: Any) -> list[str]:
    if "error" in real_body:  # Graph
        mine, theirs = emulated.get("error", {}), real_body["error"]
        problems = [
            f"error.{k}: {mine.get(k)!r} in the emulator, {theirs.get(k)!r} in the real answer"
            for k in ("code", "error_subcode", "type")
            if mine.get(k) != theirs.get(k)
        ]
        problems += [f"error.{k}: not in the real error" for k in set(mine) - set(theirs) - ALWAYS_ALLOWED]
        problems += [
            f"error.{k}: the real error has it, the emulator's does not"
            for k in ("message", "error_user_title", "error_user_msg")
            if k in theirs and k not in mine
        ]
        return problems
    problems = [
        f"{k}: {emulated.get(k)!r} in the emulator, {real_body.get(k)!r} in the real answer"
        for k in ("title", "type", "status")
        if emulated.get(k) != real_body.get(k)
    ]
    return problems + [f"{k}: not in the real problem body" for k in set(emulated) - set(real_body)]


class Recorder(BaseAdapter):
    """Passes requests to the emulator's adapter and keeps each (method, url, status, body)."""

    def __init__(self, inner: BaseAdapter) -> None:
        super().__init__()
        self.inner = inner
        self.seen: list[tuple[str, str, int, Any]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = self.inner.send(request, **kwargs)
        self.seen.append((request.method or "", request.url or "", response.status_code, response.json()))
        return response

    def last(self) -> tuple[int, Any]:
        return self.seen[-1][2], self.seen[-1][3]

    def close(self) -> None:
        pass


class Replay(BaseAdapter):
    """Answers each request with the next real fixture body (the last one repeats)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        super().__init__()
        self.answers = list(answers)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        response = requests.Response()
        response.status_code = answer["status"]
        response.headers = CaseInsensitiveDict({"content-type": "application/json"})
        response._content = json.dumps(answer["body"]).encode()
        response.request, response.url, response.encoding = request, request.url, "utf-8"
        return response

    def close(self) -> None:
        pass
