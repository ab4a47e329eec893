"""What `fields_get` reports for one emulated field: real Odoo's attributes where recorded (`Field.wire`),
else the emulator's own."""

from __future__ import annotations

from typing import Any

from mcp_servers.odoo.sandbox.schema import RELATIONAL, X2MANY, Field

FIELD_ATTRIBUTES = (
    "type",
    "string",
    "required",
    "readonly",
    "store",
    "searchable",
    "sortable",
    "relation",
    "selection",
    "help",
)


def field_attribute(fld: Field, attr: str) -> Any:
    reported = dict(fld.wire)
    if attr in reported:
        return reported[attr]
    if fld.wire and attr in ("type", "string", "required", "readonly", "store", "relation"):
        return None  # real Odoo leaves it out (e.g. 17's in_group_* pseudo-fields of res.users)
    if attr == "selection":
        return [list(p) for p in fld.selection] if fld.type == "selection" else None
    if attr == "relation":
        return fld.relation if fld.type in RELATIONAL else None
    if attr in ("searchable", "sortable"):
        return fld.store or fld.type in X2MANY
    if attr in ("type", "string", "required", "readonly", "store", "help"):
        return getattr(fld, attr)
    if attr in ("domain", "context"):
        return [] if attr == "domain" and fld.type in RELATIONAL else ({} if attr == "context" else None)
    if attr in ("depends", "manual", "company_dependent", "translate", "trim", "exportable"):
        return {
            "depends": [],
            "manual": False,
            "company_dependent": False,
            "translate": False,
            "trim": fld.type == "char",
            "exportable": True,
        }[attr]
    return None
