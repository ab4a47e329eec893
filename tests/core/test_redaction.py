"""Configured secrets are redacted from everything stored, returned, logged or printed (issue 11, item 12)."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from mcp_servers.core import redaction
from mcp_servers.core.settings import CoreSettings
from mcp_servers.core.vault import APPROVED, Vault
from mcp_servers.graph.tokens import TokenInspector
from tests.conftest import TEST_KEY
from tests.core.test_server_stdio import ROOT, server_env

TOKEN = "fake-token-0123456789abcdef"


def test_the_signing_key_and_every_secret_setting_are_redacted() -> None:
    CoreSettings()  # built by every process: registers APPROVAL_SIGNING_KEY
    text = f"key {TEST_KEY} in a message"
    assert TEST_KEY not in redaction.redact_text(text)
    assert redaction.scrub({"error": [text]}) == {"error": ["key [redacted] in a message"]}


def _texts(result: object) -> str:
    return " ".join(getattr(block, "text", "") for block in getattr(result, "content", []))


@pytest.mark.anyio
async def test_a_remote_error_echoing_the_token_reaches_neither_vault_nor_model_nor_stderr(
    vault: Vault, tmp_path: Path
) -> None:
    env = server_env(vault, FAKE_TOKEN=TOKEN, LOG_LEVEL="DEBUG")
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "tests.core.fake_service"], env=env, cwd=str(ROOT)
    )
    errlog = tmp_path / "stderr.txt"
    answers = []
    with errlog.open("w") as err:
        async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            filed = await session.call_tool("add_note", {"text": "echo: hi", "dry_run": False})
            source = vault.root / filed.structured_content["request_path"]
            shutil.move(source, vault.folder(APPROVED) / source.name)
            args = {"text": "echo: hi", "dry_run": False, "approval_id": filed.structured_content["request_id"]}
            answers.append(await session.call_tool("add_note", args))
            answers.append(await session.call_tool("add_note", args))  # the replay from the ledger
            answers.append(await session.call_tool("add_note", {"text": "crash: hi"}))
    assert answers[0].structured_content["status"] == "failed"
    assert "[redacted]" in answers[0].structured_content["error"]  # the echo happened, and was cleaned
    assert answers[2].is_error
    assert "RuntimeError" in errlog.read_text()  # the traceback was logged, without the token
    seen = [_texts(a) + str(a.structured_content) for a in answers] + [errlog.read_text()]
    seen += [p.read_text(errors="replace") for p in vault.root.rglob("*") if p.is_file()]
    assert not [text for text in seen if TOKEN in text]


@pytest.fixture
def graph() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"data": {"app_id": "123", "is_valid": true, "expires_at": 0, "data_access_expires_at": 0}}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_debug_token_puts_no_token_in_a_logged_url(graph: str, caplog: pytest.LogCaptureFixture) -> None:
    inspector = TokenInspector(
        label="Facebook",
        token=TOKEN,
        app_id="123",
        app_secret=None,
        app_var="FACEBOOK_APP_ID",
        renew="renew",
        base_url=graph,
    )
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        assert inspector.expiry().status == "never"
    assert "debug_token" in caplog.text  # urllib3 did log the request line
    assert TOKEN not in caplog.text


def test_a_secret_is_found_in_json_and_url_encodings_too() -> None:
    odd = 'pa"ss\\word|1234'
    redaction.register(odd)
    assert redaction.has_secret(json.dumps({"error": f"bad {odd}"}))
    assert redaction.has_secret("GET /x?sig=" + quote(odd, safe=""))
    assert (
        redaction.redact_text("GET /debug_token?input_token=abc123&x=1")
        == "GET /debug_token?input_token=[redacted]&x=1"
    )


def test_doctor_prints_no_secret_a_check_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from mcp_servers.core.service import load_service
    from orchestrator import doctor
    from orchestrator.commands import doctor as command

    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", TOKEN)
    load_service("facebook").settings_cls()  # doctor builds every service's settings: their secrets are registered
    echoed = doctor.Check("facebook", "fail", f"Graph said: invalid token {TOKEN}")
    monkeypatch.setattr(doctor, "run_checks", lambda *a, **k: [echoed])
    command.run(argparse.Namespace(vault=None, offline=True))
    out = capsys.readouterr().out
    assert "Graph said: invalid token [redacted]" in out and TOKEN not in out
