"""Real Odoo's fields for the emulated models, recorded per version by tests/odoo/record_schema.py
from a fresh Odoo 17/18/19 with Invoicing: the emulator gains every field it lacks (a stored one is a
plain value: read, written and searched as stored; a computed one reads as empty) and reports real
Odoo's type, label, relation, required, readonly and store in `fields_get`. Models that a relation
points to and the emulator does not emulate exist with no records, as in a fresh database that never
used them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from mcp_servers.odoo.sandbox.schema import Field, Model

_DIR = Path(__file__).parent
_REPORTED = ("type", "string", "required", "readonly", "store", "relation")


def real_fields(version: int) -> dict[str, dict[str, dict[str, Any]]]:
    path = _DIR / f"odoo{version}.json"
    if not path.exists():
        return {}
    models: dict[str, dict[str, dict[str, Any]]] = json.loads(path.read_text("utf-8"))["models"]
    return models


def _wire(real: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, real[k]) for k in _REPORTED if k in real)


def _merged(fld: Field, real: dict[str, Any]) -> Field:
    selection = real.get("selection")
    changes: dict[str, Any] = {"wire": _wire(real)}
    if fld.type == "selection" and selection:
        changes["selection"] = tuple((str(k), str(v)) for k, v in selection)
    return dataclasses.replace(fld, **changes)


def _added(real: dict[str, Any]) -> Field:
    kind = str(real.get("type", "char"))
    selection = tuple((str(k), str(v)) for k, v in real.get("selection") or ())
    if kind == "selection" and not selection:
        kind = "char"  # a long selection (languages, time zones): kept as plain text
    if kind not in ("many2one", "one2many", "many2many") and kind not in _PLAIN:
        kind = "char"
    return Field(
        kind,
        str(real.get("string", "")),
        relation=real.get("relation"),
        selection=selection,
        readonly=bool(real.get("readonly")),
        store=bool(real.get("store", True)),  # a computed field reads as empty here, and is not written
        wire=_wire(real),
    )


_PLAIN = frozenset(
    {"char", "text", "html", "integer", "float", "monetary", "boolean", "date", "datetime", "selection", "binary"}
)


def _stub(name: str) -> Model:
    return Model(
        name,
        name,
        {
            "id": Field("integer", "ID", readonly=True),
            "display_name": Field("char", "Display Name", readonly=True, store=False),
            "name": Field("char", "Name"),
        },
    )


def with_real_fields(models: dict[str, Model], version: int) -> dict[str, Model]:
    real = real_fields(version)
    out = dict(models)
    for name, model in models.items():
        fields = dict(model.fields)
        for fname, spec in real.get(name, {}).items():
            fields[fname] = _merged(fields[fname], spec) if fname in fields else _added(spec)
        out[name] = dataclasses.replace(model, fields=fields)
    for model in list(out.values()):
        for fld in model.fields.values():
            if fld.relation and fld.relation not in out:
                out[fld.relation] = _stub(fld.relation)
    return out
