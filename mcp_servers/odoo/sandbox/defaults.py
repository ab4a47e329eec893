"""Default values real Odoo gives a record created without them (and reports in `default_get`).

A product without a unit gets Units, the company's default sales and purchase taxes, and can be sold
and bought; a contact is an active individual of type contact in English. Raw values: many2one ids,
many2many id lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env


def _units(env: Env) -> int | bool:
    for rec in env.table("uom.uom").values():
        if rec.get("name") == "Units":
            return int(rec["id"])
    return False


def _company_tax(env: Env, field: str) -> list[int]:
    company = env.get("res.company", int(env.data["meta"].get("company_id", 1))) or {}
    tax = company.get(field)
    return [int(tax)] if tax else []


def creation_defaults(env: Env, model: str) -> dict[str, Any]:
    if model == "res.partner":
        return {
            "active": True,
            "type": "contact",
            "is_company": False,
            "lang": env.context.get("lang", "en_US"),
            "customer_rank": 0,
            "supplier_rank": 0,
        }
    if model == "product.product":
        units = _units(env)
        out: dict[str, Any] = {
            "active": True,
            "type": "consu",
            "sale_ok": True,
            "purchase_ok": True,
            "list_price": 1.0,
            "uom_id": units,
            "taxes_id": _company_tax(env, "account_sale_tax_id"),
            "supplier_taxes_id": _company_tax(env, "account_purchase_tax_id"),
        }
        if "uom_po_id" in env.model(model).fields:  # 17 and 18: the purchase unit
            out["uom_po_id"] = units
        return out
    return {}
