"""Graph client fixtures: a replaying transport adapter that serves recorded-shape payloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from mcp_servers.graph.client import GraphClient

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "fake-page-token-secret-0123456789"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


class ReplayAdapter(BaseAdapter):
    """Answers each request with the next scripted fixture (or raises the scripted exception)."""

    def __init__(self, *script: str | BaseException) -> None:
        super().__init__()
        self.script = list(script)
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.requests.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step
        fixture = load(step)
        response = requests.Response()
        response.status_code = fixture["status"]
        response.headers = CaseInsensitiveDict({"content-type": "application/json", **fixture["headers"]})
        raw = fixture.get("raw")
        response._content = raw.encode() if raw is not None else json.dumps(fixture["body"]).encode()
        response.request, response.url = request, request.url
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def make_client() -> Callable[..., tuple[GraphClient, ReplayAdapter]]:
    def make(*script: str | BaseException, **kwargs: Any) -> tuple[GraphClient, ReplayAdapter]:
        adapter = ReplayAdapter(*script)
        options: dict[str, Any] = {
            "label": "Facebook",
            "access_token": TOKEN,
            "token_var": "FACEBOOK_PAGE_ACCESS_TOKEN",
            "version_var": "FACEBOOK_API_VERSION",
            "adapter": adapter,
            **kwargs,
        }
        return GraphClient(**options), adapter

    return make
