"""Replay recorded real-Odoo exchanges against the emulator of the same version and compare answers.

Each recorded request is made concrete again (symbols → the emulator's ids learnt so far, `@date+N` →
today + N days, `@db`/`@uid`/`@secret` → the emulator's), sent over HTTP exactly as recorded, and the
answer is normalised the same way and compared with the recorded one (`Matcher`).
"""

from __future__ import annotations

import http.client
import json
import re
import xmlrpc.client
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mcp_servers.odoo.sandbox import OdooEmulator
from tests.odoo.contract_http import normalise_answer, parse_answer
from tests.odoo.contract_wire import Norm

CONTRACT_DIR = Path(__file__).parent / "contract"
_SYMBOL = re.compile(r"^@([\w.]+)#(-?\d+)$")
_DATE = re.compile(r"^@date([+-]\d+)$")
_NOW = re.compile(r"^@now([+-]\d+)h$")


@dataclass
class Matcher:
    """Recorded symbol → the emulator's symbol for the same record, learnt on first sight."""

    bound: dict[str, str] = field(default_factory=dict)

    def concrete(self, value: Any, env: dict[str, Any]) -> Any:
        if isinstance(value, dict):
            return {k: self.concrete(v, env) for k, v in value.items()}
        if isinstance(value, list):
            return [self.concrete(v, env) for v in value]
        if not isinstance(value, str):
            return value
        if value in env:
            return env[value]
        match = _NOW.match(value)
        if match:
            return (datetime.now(UTC) + timedelta(hours=int(match.group(1)))).strftime("%Y-%m-%d %H:%M:%S")
        match = _SYMBOL.match(value)
        if match:
            bound = _SYMBOL.match(self.bound.get(value, value))
            return int(bound.group(2)) if bound else int(match.group(2))
        match = _DATE.match(value)
        if match:
            return (date.today() + timedelta(days=int(match.group(1)))).isoformat()
        today = date.today()
        return value.replace("/@Y/@M/", f"/{today:%Y}/{today:%m}/").replace("/@Y/", f"/{today:%Y}/")

    def compare(self, want: Any, got: Any, path: str = "") -> list[str]:
        if isinstance(want, str) and _SYMBOL.match(want) and isinstance(got, str) and _SYMBOL.match(got):
            return self._bind(want, got, path)
        if isinstance(want, dict) and isinstance(got, dict):
            diffs = [f"{path}.{k}: missing" for k in want if k not in got]
            diffs += [f"{path}.{k}: unexpected" for k in got if k not in want]
            for key in want.keys() & got.keys():
                diffs += self.compare(want[key], got[key], f"{path}.{key}")
            return diffs
        if isinstance(want, list) and isinstance(got, list):
            if len(want) != len(got):
                return [f"{path}: {len(want)} items recorded, {len(got)} replayed: {_short(want)} vs {_short(got)}"]
            return [
                d for i, (w, g) in enumerate(zip(want, got, strict=True)) for d in self.compare(w, g, f"{path}[{i}]")
            ]
        if isinstance(want, float | int) and isinstance(got, float | int) and not isinstance(want, bool):
            return (
                []
                if abs(want - got) < 1e-6 and isinstance(got, bool) == isinstance(want, bool)
                else [f"{path}: {want!r} vs {got!r}"]
            )
        return [] if want == got else [f"{path}: {_short(want)} vs {_short(got)}"]

    def _bind(self, want: str, got: str, path: str) -> list[str]:
        if want.split("#")[0] != got.split("#")[0]:
            return [f"{path}: {want} vs {got}"]
        if want in self.bound:
            return [] if self.bound[want] == got else [f"{path}: {want} (= {self.bound[want]}) vs {got}"]
        if got in self.bound.values():
            return [f"{path}: {want} vs {got}, which is already another record"]
        self.bound[want] = got
        return []


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 160 else text[:157] + "..."


def send(url: str, request: dict[str, Any]) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        if request["kind"] == "get":
            conn.request("GET", request["path"])
        elif request["kind"] == "xmlrpc":
            body = xmlrpc.client.dumps(tuple(request["params"]), request["call"], allow_none=True).encode()
            conn.request("POST", f"/xmlrpc/2/{request['service']}", body=body, headers={"Content-Type": "text/xml"})
        else:
            headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": request["auth"]}
            if request["db"] is not None:
                headers["X-Odoo-Database"] = request["db"]
            path = f"/json/2/{request['model']}/{request['method']}"
            conn.request("POST", path, body=json.dumps(request["body"]).encode(), headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


@dataclass
class Outcome:
    index: int
    step: str
    target: str
    diffs: list[str]
    got: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # "step | target" (+ " #n" for the n-th repeat): stable across re-recordings


def replay(fixture: dict[str, Any], state: Path) -> list[Outcome]:
    """Every exchange of `fixture` against a fresh emulator of its version: one `Outcome` each."""
    version = int(str(fixture["odoo"]).split(".")[0].split("~")[-1])
    emulator = OdooEmulator(state, version, empty=True)
    server = emulator.start()
    try:
        meta = emulator.meta
        env = {"@db": meta["db"], "@uid": 2, "@secret": meta["api_key"], "bearer @secret": f"bearer {meta['api_key']}"}
        now = datetime.now(UTC).replace(tzinfo=None)
        norm = Norm(fixture["relations"], date.today(), meta["db"], meta["api_key"], now=now)
        matcher, outcomes, seen = Matcher(), [], dict[str, int]()
        for i, item in enumerate(fixture["exchanges"]):
            request = matcher.concrete(item["request"], env)
            status, ctype, raw = send(server.url, request)
            got = normalise_answer(norm, request, parse_answer(status, ctype, raw, request["kind"]))
            target = "/".join(str(p) for p in _target(item["request"]))
            key = f"{item['step']} | {target}"
            seen[key] = seen.get(key, 0) + 1
            key += f" #{seen[key]}" if seen[key] > 1 else ""
            outcomes.append(Outcome(i, item["step"], target, matcher.compare(item["answer"], got), got, key))
        return outcomes
    finally:
        emulator.stop()


def _target(request: dict[str, Any]) -> tuple[str, ...]:
    if request["kind"] == "json2":
        return ("json2", request["model"], request["method"])
    if request["kind"] == "xmlrpc" and request["service"] == "object":
        return ("xmlrpc", request["params"][3], request["params"][4])
    return (request["kind"], request.get("call") or request.get("path", ""))


def fixtures() -> list[Path]:
    return sorted(CONTRACT_DIR.glob("*/*.json"))
