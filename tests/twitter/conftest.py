"""Fixtures for the X service: canned X responses at the transport level, the sandbox service, and a
real server process over stdio."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from mcp_servers.core.vault import Vault
from mcp_servers.twitter.checks import XService
from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.server import make_service
from mcp_servers.twitter.settings import TwitterSettings

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
# Credential values that must never show up in a vault file or a log.
SECRETS = {
    "TWITTER_API_KEY": "ck-SECRETMARKER-0001",
    "TWITTER_API_SECRET": "cs-SECRETMARKER-0002",
    "TWITTER_ACCESS_TOKEN": "1600000000000000001-SECRETMARKER0003",
    "TWITTER_ACCESS_TOKEN_SECRET": "ats-SECRETMARKER-0004",
}


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class CannedAdapter(BaseAdapter):
    """Answers each request with the next canned response (or raises a canned requests exception)."""

    def __init__(self, answers: list[dict[str, Any] | Exception]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        response = requests.Response()
        response.status_code = answer["status"]
        response.headers = CaseInsensitiveDict({"content-type": "application/json", **answer.get("headers", {})})
        response._content = json.dumps(answer["body"]).encode() if "body" in answer else b""
        response.request, response.url, response.encoding = request, request.url, "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def canned() -> Callable[..., tuple[TwitterClient, CannedAdapter]]:
    def make(*answers: dict[str, Any] | Exception) -> tuple[TwitterClient, CannedAdapter]:
        adapter = CannedAdapter(list(answers))
        client = TwitterClient(
            api_key="k",
            api_secret="s",
            access_token="t",
            access_token_secret="ts",
            api_host="https://api.x.com",
            adapter=adapter,
        )
        return client, adapter

    return make


@pytest.fixture
def x(vault: Vault) -> XService:
    """The X service over the sandbox emulator, exactly as the server builds it."""
    return make_service(TwitterSettings(), vault)


def server_env(vault: Path, **extra: str) -> dict[str, str]:
    env = {
        "APPROVAL_SIGNING_KEY": os.environ["APPROVAL_SIGNING_KEY"],
        "VAULT_PATH": str(vault),
        "AI_EMPLOYEE_ENV_FILE": str(vault.parent / "no.env"),
        "PYTHONPATH": str(REPO),
        "TWITTER_MODE": "sandbox",
        "LOG_LEVEL": "DEBUG",  # the most talkative level, so the secrets scan means something
        **SECRETS,
    }
    return {**env, **extra}


@asynccontextmanager
async def spawn(vault: Path, errlog: Path, **env: str) -> AsyncIterator[Any]:
    """`python -m mcp_servers.twitter --vault <vault>` over stdio, initialised; stderr goes to `errlog`."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.twitter", "--vault", str(vault)],
        env=server_env(vault, **env),
        cwd=str(REPO),
    )
    with errlog.open("a") as err:
        async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


@pytest.fixture
def errlog(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "server-stderr.log"
