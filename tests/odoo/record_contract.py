"""Record the Odoo contract fixtures from a running real Odoo (it never starts or builds one).

    python -m tests.odoo.record_contract --url http://127.0.0.1:8017 --db odoo17 --login admin \
        --key <API key> --protocol xmlrpc --out tests/odoo/contract/17/xmlrpc.json

The database must be fresh (Invoicing installed, no demo data): the scenario creates its own records.
It runs tests/odoo/contract_scenario.py and contract_orm.py through our client, pointed at a recording
proxy, normalises every exchange (tests/odoo/contract_wire.py) and writes them with a header; it prints
the tool × outcome table. See tests/odoo/contract/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mcp_servers.odoo.client import Connection, OdooClient
from tests.odoo.contract_http import normalise_answer, normalise_request, parse_answer, parse_request, target_of
from tests.odoo.contract_orm import orm_edges
from tests.odoo.contract_proxy import RecordingProxy
from tests.odoo.contract_scenario import Run, tool_surface
from tests.odoo.contract_wire import Norm, Relations


def relations(client: OdooClient, models: set[str]) -> Relations:
    """Relational fields of the models the recording touched (read directly, not recorded)."""
    out: Relations = {}
    for model in sorted(models):
        try:
            spec = client.read(model, "fields_get", attributes=["type", "relation"])
        except Exception:  # an unknown model (a fault case) has no fields
            continue
        out[model] = {name: f["relation"] for name, f in spec.items() if f.get("relation")}
    return out


def record(url: str, db: str, login: str, key: str, protocol: str) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    conn = Connection(url=url, db=db, login=login, secret=key, protocol=protocol, timeout=120)
    with RecordingProxy(url) as proxy, tempfile.TemporaryDirectory() as vault:
        client = OdooClient(Connection(**{**conn.__dict__, "url": proxy.url}))
        run = Run(client, lambda label: setattr(proxy, "step", label), Path(vault))
        tool_surface(run)
        orm_edges(run)
        exchanges = list(proxy.exchanges)
    direct = OdooClient(conn)
    parsed = [(ex, parse_request(ex)) for ex in exchanges]
    rel = relations(direct, {target_of(req)[0] for _, req in parsed} - {""})
    info = direct.read("res.users", "context_get") if protocol == "json2" else None
    version = _server_version(direct)
    uid = 2 if info is None else int(info.get("uid", 2))
    norm = Norm(rel, date.today(), db, key, uid=uid, now=datetime.now(UTC).replace(tzinfo=None))
    items = []
    for ex, req in parsed:
        answer = parse_answer(ex.status, ex.content_type, ex.answer, req["kind"])
        items.append(
            {"step": ex.step, "request": normalise_request(norm, req), "answer": normalise_answer(norm, req, answer)}
        )
    header = {
        "odoo": version,
        "protocol": protocol,
        "recorded": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "day": date.today().isoformat(),
        "normalised": "see tests/odoo/contract/README.md",
    }
    return {**header, "relations": rel, "exchanges": items}, run.outcomes


def _server_version(client: OdooClient) -> str:
    info = client._xmlrpc("common", "version", (), write=False)
    return str(info.get("server_version"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--key", required=True, help="API key (scope: any RPC)")
    parser.add_argument("--protocol", choices=["xmlrpc", "json2"], default="xmlrpc")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    fixture, outcomes = record(args.url, args.db, args.login, args.key, args.protocol)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fixture, indent=1, sort_keys=False, ensure_ascii=False) + "\n", "utf-8")
    for tool, step, outcome in outcomes:
        print(f"{tool}\t{step}\t{outcome}")
    print(f"{len(fixture['exchanges'])} exchanges written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
