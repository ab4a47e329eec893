"""Recorded HTTP exchanges as requests and answers (XML-RPC, JSON-2, GET), normalised with a `Norm`
(see contract_wire.py and tests/odoo/contract/README.md)."""

from __future__ import annotations

import json
import re
import xmlrpc.client
from typing import Any

from tests.odoo.contract_proxy import Exchange
from tests.odoo.contract_wire import Norm, last_line

_PG_WHERE = re.compile(r'connection to server at "[^"]*", port \d+ failed: ')


# --- parsing a raw exchange into request/answer ----------------------------------------------------
def parse_request(ex: Exchange) -> dict[str, Any]:
    if ex.verb == "GET":
        return {"kind": "get", "path": ex.path}
    if ex.path.startswith("/xmlrpc/2/"):
        params, name = xmlrpc.client.loads(ex.body, use_builtin_types=True)
        return {"kind": "xmlrpc", "service": ex.path.rsplit("/", 1)[1], "call": name, "params": list(params)}
    parts = ex.path.strip("/").split("/")
    body = json.loads(ex.body or b"{}")
    return {
        "kind": "json2",
        "model": parts[2] if len(parts) > 2 else "",
        "method": parts[3] if len(parts) > 3 else "",
        "auth": ex.headers.get("Authorization", ""),
        "db": ex.headers.get("X-Odoo-Database"),
        "body": body,
    }


def parse_answer(status: int, content_type: str, raw: bytes, kind: str) -> dict[str, Any]:
    if kind == "xmlrpc" and status == 200:
        try:
            return {"result": xmlrpc.client.loads(raw, use_builtin_types=True)[0][0]}
        except xmlrpc.client.Fault as fault:
            return {"fault": {"code": fault.faultCode, "message": last_line(fault.faultString)}}
    if "json" not in content_type:
        return {"status": status, "content_type": content_type.split(";")[0]}
    payload = json.loads(raw or b"null")
    if status == 200:
        return {"status": 200, "result": payload}
    if isinstance(payload, dict) and "name" in payload:
        return {"status": status, "error": {"name": payload["name"], "message": last_line(payload.get("message", ""))}}
    return {"status": status, "result": payload}


def target_of(request: dict[str, Any]) -> tuple[str, str]:
    """(model, method) of a request ("" for service calls)."""
    if request["kind"] == "json2":
        return request["model"], request["method"]
    if request["kind"] == "xmlrpc" and request["service"] == "object" and len(request["params"]) >= 5:
        return str(request["params"][3]), str(request["params"][4])
    return "", request.get("call", "")


def normalise_request(norm: Norm, request: dict[str, Any]) -> dict[str, Any]:
    model, method = target_of(request)
    out = dict(request)
    if request["kind"] == "json2":
        out["auth"] = norm.any(request["auth"].replace(norm.secret, "@secret") if norm.secret else request["auth"])
        out["db"] = norm.any(request["db"])
        out["body"] = (
            norm.params(model, method, request["body"]) if isinstance(request["body"], dict) else request["body"]
        )
    elif request["kind"] == "xmlrpc":
        params = list(request["params"])
        if request["service"] == "object" and len(params) >= 5:
            params[0:3] = [norm.any(params[0]), "@uid" if params[1] == norm.uid else params[1], norm.any(params[2])]
            if len(params) > 5:
                params[5] = norm.args(model, method, params[5]) if isinstance(params[5], list) else norm.any(params[5])
            if len(params) > 6:
                params[6] = norm.params(model, method, params[6]) if isinstance(params[6], dict) else params[6]
        else:
            params = norm.any(params)
        out["params"] = params
    return out


def normalise_answer(norm: Norm, request: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    out = dict(answer)
    if "result" in answer:
        model, method = target_of(request)
        if request["kind"] == "xmlrpc" and request.get("call") == "authenticate":
            out["result"] = "@uid" if answer["result"] == norm.uid else answer["result"]
        else:
            out["result"] = norm.result(model, method, answer["result"])
    for key in ("fault", "error"):
        if key in answer:
            out[key] = norm.any(answer[key])
            out[key]["message"] = _PG_WHERE.sub("", str(out[key]["message"]))
    return out
