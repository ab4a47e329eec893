"""res.partner's own create rule in the emulator: a contact takes its parent's address and its
company's commercial fields, as Odoo's `_fields_sync` does (17, 18 and 19 alike)."""

from __future__ import annotations

from typing import Any

from mcp_servers.odoo.sandbox.defaults import creation_defaults
from mcp_servers.odoo.sandbox.errors import ValidationError
from mcp_servers.odoo.sandbox.orm import Env, Record, commercial_partner

ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
COMMERCIAL_FIELDS = ("vat", "company_registry")


def _synced(env: Env, raw: Record) -> Record:
    parent = env.get("res.partner", raw["parent_id"]) if raw.get("parent_id") else None
    if parent is None:
        return raw
    out = dict(raw)
    if out.get("type") == "contact" and any(parent.get(f) for f in ADDRESS_FIELDS):
        out.update({f: parent.get(f, False) for f in ADDRESS_FIELDS})
    if not out.get("is_company"):
        company = commercial_partner(env, parent)
        out.update({f: company.get(f, False) for f in COMMERCIAL_FIELDS if f in company})
    return out


def create_partners(env: Env, items: list[Any]) -> list[int]:
    ids = []
    for vals in items:
        raw = {**creation_defaults(env, "res.partner"), **env.convert("res.partner", vals)}
        if not raw.get("name"):
            raise ValidationError("Contacts require a name")
        ids.append(int(env.create_raw("res.partner", _synced(env, raw))["id"]))
    return ids
