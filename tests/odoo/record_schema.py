"""Record the stored fields of the models the emulator emulates from a running real Odoo.

    python -m tests.odoo.record_schema --url http://127.0.0.1:8017 --db odoo17 --key <API key> \
        --out mcp_servers/odoo/sandbox/fields/odoo17.json

Writes, per model, each field's type, label, relation, required, readonly and store (and a short
selection) as `fields_get` reports them; the emulator adds the fields it lacks from this file and
reports these attributes (`mcp_servers/odoo/sandbox/fields`). It never starts or builds Odoo.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.sandbox.schema import emulated_models

ATTRS = ["type", "string", "relation", "required", "readonly", "store", "selection"]
MAX_SELECTION = 25  # longer selections (languages, time zones) are not kept


def schema(client: OdooClient, version: int) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for model in emulated_models(version):
        spec = client.read(model, "fields_get", attributes=ATTRS)
        fields: dict[str, dict[str, Any]] = {}
        for name, f in sorted(spec.items()):
            item = {k: f[k] for k in ("type", "string", "required", "readonly", "store") if k in f}
            if f.get("relation"):
                item["relation"] = f["relation"]
            if f.get("type") == "selection" and len(f.get("selection") or []) <= MAX_SELECTION:
                item["selection"] = f["selection"]
            fields[name] = item
        out[model] = fields
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--key", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    client = OdooClient(Connection(url=args.url, db=args.db, login=args.login, secret=args.key, protocol="xmlrpc"))
    client.status()
    data = {"odoo": client.version_label, "models": schema(client, client.version[0])}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    print(f"{sum(len(m) for m in data['models'].values())} fields of {len(data['models'])} models", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
