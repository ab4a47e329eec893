"""The emulator's ORM over the shared JSON state: search, read, create, write, unlink and metadata.

Records are stored raw (many2one as an id or False, x2many as id lists, dates as ISO strings) in
`data["models"][model][str(id)]`, so a read by id is a dict lookup and nothing is copied per request
except what is returned. Values come back in Odoo's wire shapes (`False` for empty, many2one
`[id, "name"]`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mcp_servers.odoo.sandbox.attributes import FIELD_ATTRIBUTES, field_attribute
from mcp_servers.odoo.sandbox.catalog import models_for
from mcp_servers.odoo.sandbox.defaults import creation_defaults
from mcp_servers.odoo.sandbox.domain import DomainCompiler, parse_order
from mcp_servers.odoo.sandbox.errors import (
    MissingError,
    ServerError,
    UnknownModel,
    UserError,
    ValidationError,
)
from mcp_servers.odoo.sandbox.schema import X2MANY, Field, Model, now_string

Record = dict[str, Any]
State = dict[str, Any]
_REC_NAMES_SEARCH = {  # the fields `name_search` looks in (Odoo's `_rec_names_search`)
    "res.partner": ("complete_name", "email", "ref", "vat", "company_registry"),
    "product.product": ("default_code", "name"),
}
_MOVE_LABELS = {
    "out_invoice": "Invoice",
    "out_refund": "Credit Note",
    "in_invoice": "Bill",
    "in_refund": "Refund",
    "entry": "Entry",
    "out_receipt": "Receipt",
    "in_receipt": "Receipt",
}


def commercial_partner(env: Env, rec: Record) -> Record:
    """The partner's company: itself if a company or without parent, else its parent's (Odoo's rule)."""
    table = env.table("res.partner")
    seen: set[int] = set()
    while not rec.get("is_company") and rec.get("parent_id") and rec["id"] not in seen:
        seen.add(rec["id"])
        parent = table.get(str(rec["parent_id"]))
        if parent is None:
            break
        rec = parent
    return rec


def display_name(env: Env, model: str, rec: Record) -> Any:
    if model == "res.partner":
        parent = env.table(model).get(str(rec.get("parent_id"))) if rec.get("parent_id") else None
        if parent and not rec.get("is_company") and rec.get("name"):
            return f"{commercial_partner(env, parent).get('name')}, {rec['name']}"
        return rec.get("name") or False
    if model == "account.move":
        if rec.get("state") == "draft" or rec.get("name") in (False, "/"):
            return f"Draft {_MOVE_LABELS.get(rec.get('move_type', ''), 'Entry')} (* {rec['id']})"
        return rec.get("name")
    if model == "account.account":
        return f"{rec.get('code')} {rec.get('name')}"
    if model == "product.product" and rec.get("default_code"):
        return f"[{rec['default_code']}] {rec.get('name')}"
    if model == "account.move.line":
        move = env.table("account.move").get(str(rec.get("move_id")))
        return f"{display_name(env, 'account.move', move) if move else ''} {rec.get('name') or ''}".strip()
    return rec.get(env.model(model).rec_name, False) or rec.get("name") or f"{model},{rec['id']}"


def _computed(model: str, name: str, env: Env) -> Callable[[Record], Any] | None:
    if name == "display_name":
        return lambda r: display_name(env, model, r)
    if model == "res.partner" and name == "complete_name":
        return lambda r: display_name(env, model, r)
    if model == "res.partner" and name == "commercial_partner_id":
        return lambda r: commercial_partner(env, r)["id"]
    if model == "res.partner" and name == "child_ids":
        return lambda r: [int(k) for k, c in env.table(model).items() if c.get("parent_id") == r["id"]]
    if model == "account.move.line" and name == "amount_residual":
        return lambda r: env.rules.residual(env, r)
    if model == "account.move.line" and name in ("parent_state", "move_name", "date"):
        key = {"parent_state": "state", "move_name": "name", "date": "date"}[name]
        moves = env.table("account.move")
        return lambda r: (moves.get(str(r.get("move_id"))) or {}).get(key, False)
    return None


def _stored(name: str, empty: Any) -> Callable[[Record], Any]:
    if name == "active":  # a record from before the model had `active` is active, as Odoo's default says
        return lambda r: r.get(name, True)
    return lambda r: r.get(name, empty)


@dataclass(frozen=True)
class Rules:
    """The business behaviour this generic ORM calls into (accounting, payments, partners). Whoever builds an
    `Env` passes it (`registry.RULES`), so the ORM imports none of the modules that build on it."""

    hooks: Mapping[tuple[str, str], Callable[..., Any]]  # (model, "create" | "write" | "unlink") -> replacement
    defaults: Callable[[Env, str], dict[str, Any]]  # default_get's values beyond the fields' own defaults
    residual: Callable[[Env, Record], Any]  # a journal item's amount_residual


class Env:
    """One request's view of the state: `data` is shared, never copied; writes happen in place."""

    def __init__(self, data: State, version: int, context: dict[str, Any] | None = None, *, rules: Rules) -> None:
        self.data = data
        self.version = version
        self.rules = rules
        self.registry = models_for(version)
        self.context = context or {}
        self.uid = 2
        self._getters: dict[tuple[str, str], Callable[[Record], Any]] = {}

    # --- access -------------------------------------------------------------------------------
    def model(self, name: str) -> Model:
        spec = self.registry.get(name)
        if spec is None:
            raise UnknownModel(name)
        return spec

    def table(self, name: str) -> dict[str, Record]:
        tables: dict[str, dict[str, Record]] = self.data["models"]
        return tables.setdefault(name, {})

    def get(self, model: str, rid: int) -> Record | None:
        return self.table(model).get(str(rid))

    def getter(self, model: str, name: str) -> Callable[[Record], Any]:
        key = (model, name)
        fn = self._getters.get(key)
        if fn is None:
            fld = self.model(model).fields[name]
            empty = fld.empty
            fn = _computed(model, name, self) or _stored(name, empty)
            self._getters[key] = fn
        return fn

    def next_id(self, model: str) -> int:
        counters: dict[str, int] = self.data["meta"].setdefault("next_id", {})
        rid = counters.get(model, 1)
        counters[model] = rid + 1
        return rid

    # --- reading ------------------------------------------------------------------------------
    def search(
        self, model: str, domain: Any, offset: int = 0, limit: int | None = None, order: str | None = None
    ) -> list[int]:
        spec = self.model(model)
        rows = self.records(model, domain)
        keys = parse_order(spec.fields, order, model) or parse_order(spec.fields, spec.order, model)
        for name, desc in reversed(keys):
            rows.sort(key=self._sort_key(model, name), reverse=desc)
        if not isinstance(offset, int) or (limit is not None and limit is not False and not isinstance(limit, int)):
            raise ServerError("offset and limit must be integers", "TypeError")
        end = offset + limit if limit else None
        return [r["id"] for r in rows[offset:end]]

    def records(self, model: str, domain: Any) -> list[Record]:
        """The raw records matching `domain`, unordered (shared: do not change them)."""
        self.model(model)
        active_test = self.context.get("active_test", True) is not False
        predicate = DomainCompiler(self).compile(model, domain if domain is not None else [], active_test=active_test)
        return [r for r in self.table(model).values() if predicate(r)]

    def _sort_key(self, model: str, name: str) -> Callable[[Record], Any]:
        fld = self.model(model).fields[name]
        get = self.getter(model, name)
        if fld.type == "many2one" and fld.relation:
            rel = fld.relation

            def key(r: Record) -> Any:
                rid = get(r)
                target = self.get(rel, rid) if rid else None
                return (1, "") if target is None else (0, str(display_name(self, rel, target)))

            return key
        return lambda r: (1, 0) if (v := get(r)) is False or v is None else (0, v)

    def read(
        self, model: str, ids: list[int], fields: list[str] | None = None, load: str | None = "_classic_read"
    ) -> list[Record]:
        spec = self.model(model)
        names = list(fields) if fields else list(spec.fields)
        for name in names:
            if name not in spec.fields:
                on = f"on {model!r}" if self.version >= 19 else f"on model {model!r}"
                raise ServerError(f"Invalid field {name!r} {on}")
        formatters = [(n, self._formatter(model, n, load)) for n in names if n != "id"]
        table = self.table(model)
        out = []
        for rid in ids:
            rec = table.get(str(rid))
            if rec is not None:
                row = {"id": rec["id"]}
                for name, fmt in formatters:
                    row[name] = fmt(rec)
                out.append(row)
        return out

    def _formatter(self, model: str, name: str, load: str | None) -> Callable[[Record], Any]:
        fld = self.model(model).fields[name]
        get = self.getter(model, name)
        if fld.type == "many2one" and load and fld.relation:
            rel = fld.relation

            def m2o(r: Record) -> Any:
                rid = get(r)
                target = self.get(rel, rid) if rid else None
                return [rid, display_name(self, rel, target)] if target is not None else False

            return m2o
        if fld.type in X2MANY and fld.relation:
            rel = fld.relation
            return lambda r: self.in_order(rel, list(get(r)))
        return get

    def in_order(self, model: str, ids: list[int]) -> list[int]:
        """x2many ids as Odoo reads them: in the related model's default order."""
        if len(ids) < 2:
            return ids
        spec = self.model(model)
        rows = [rec for i in ids if (rec := self.get(model, i)) is not None]
        if len(rows) != len(ids):
            return ids
        for name, desc in reversed(parse_order(spec.fields, spec.order, model)):
            rows.sort(key=self._sort_key(model, name), reverse=desc)
        return [r["id"] for r in rows]

    def search_count(self, model: str, domain: Any, limit: int | None = None) -> int:
        return len(self.search(model, domain, limit=limit, order="id"))

    def fields_get(
        self, model: str, allfields: list[str] | None = None, attributes: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        spec = self.model(model)
        attrs = attributes or list(FIELD_ATTRIBUTES)
        out: dict[str, dict[str, Any]] = {}
        for name, fld in spec.fields.items():
            if allfields and name not in allfields:
                continue
            out[name] = {a: v for a in attrs if (v := field_attribute(fld, a)) is not None}
        return out

    def name_search(
        self, model: str, name: str = "", domain: Any = None, operator: str = "ilike", limit: int = 100
    ) -> list[list[Any]]:
        spec = self.model(model)
        full = list(domain or [])
        if name:
            names = [f for f in _REC_NAMES_SEARCH.get(model, (spec.rec_name,)) if f in spec.fields]
            negative = operator in ("!=", "not like", "not ilike", "not in")
            match: list[Any] = ["&" if negative else "|"] * (len(names) - 1) + [[f, operator, name] for f in names]
            full = ["&", *match, *full] if full else match
        ids = self.search(model, full, limit=limit)
        return [[rid, display_name(self, model, self.table(model)[str(rid)])] for rid in ids]

    def default_get(self, model: str, fields: list[str]) -> dict[str, Any]:
        wanted = {**creation_defaults(self, model), **self.rules.defaults(self, model)}
        return {k: v for k, v in wanted.items() if k in fields}

    # --- writing ------------------------------------------------------------------------------
    def convert(self, model: str, vals: Any, rec: Record | None = None) -> Record:
        """Validate `vals` like Odoo does and turn them into raw values (x2many commands applied)."""
        if not isinstance(vals, dict):
            raise ServerError(f"Invalid values {vals!r} for {model}: a dictionary is expected", "TypeError")
        spec = self.model(model)
        out: Record = {}
        for name, value in vals.items():
            fld = spec.fields.get(name)
            if fld is None or name == "id" or (not fld.store and fld.type not in X2MANY):
                raise ServerError(f"Invalid field {name!r} on model {model!r}")
            out[name] = self._convert_value(model, name, fld, value, rec)
        return out

    def _convert_value(self, model: str, name: str, fld: Field, value: Any, rec: Record | None) -> Any:
        if value is None:
            value = False
        if fld.type == "selection" and value is not False and value not in dict(fld.selection):
            raise ServerError(f"Wrong value for {model}.{name}: {value!r}")
        if fld.type == "many2one":
            if isinstance(value, list | tuple) and value:
                value = value[0]
            if value is not False and (not isinstance(value, int) or self.get(fld.relation or "", value) is None):
                table = model.replace(".", "_")
                raise ValidationError(
                    "The operation cannot be completed: a referenced record does not exist.\n"
                    f"Model: {self.model(model).description} ({model}), Field: {fld.string} ({name})\n"
                    f"Constraint: {table}_{name}_fkey"
                )
            return value
        if fld.type in X2MANY:
            current = list((rec or {}).get(name, []))
            return apply_commands(self, fld, current, value)
        if fld.type in ("float", "monetary", "integer"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ServerError(f"Wrong value for {model}.{name}: {value!r}", "TypeError")
            return int(value) if fld.type == "integer" else float(value)
        if fld.type in ("char", "text", "html", "date", "datetime") and value is not False:
            if not isinstance(value, str):
                raise ServerError(f"Wrong value for {model}.{name}: {value!r}", "TypeError")
            if fld.type == "date":
                _check_date(model, name, value)
        if fld.type == "boolean":
            return bool(value)
        return value

    def create_raw(self, model: str, raw: Record) -> Record:
        spec = self.model(model)
        rid = self.next_id(model)
        stamp = now_string()
        rec: Record = {"id": rid, "create_date": stamp, "write_date": stamp}
        if "active" in spec.fields:
            rec["active"] = True
        rec.update(raw)
        for name, fld in spec.fields.items():
            if fld.required and fld.store and rec.get(name) in (None, False, "") and fld.type != "boolean":
                raise ValidationError(f"Missing required value for the field '{fld.string}' ({name})")
        self.table(model)[str(rid)] = rec
        return rec

    def create(self, model: str, vals_list: Any) -> list[int]:
        items = vals_list if isinstance(vals_list, list) else [vals_list]
        hook = self.rules.hooks.get((model, "create"))
        if hook:
            return [int(i) for i in hook(self, items)]
        ids = []
        for vals in items:
            raw = {**creation_defaults(self, model), **self.convert(model, vals)}
            ids.append(self.create_raw(model, raw)["id"])
        return ids

    def browse_existing(self, model: str, ids: list[int]) -> list[Record]:
        records = []
        for rid in ids:
            rec = self.get(model, rid)
            if rec is None:
                raise MissingError(
                    f"Record does not exist or has been deleted.\n(Record: {model}({rid},), User: {self.uid})"
                )
            records.append(rec)
        return records

    def write(self, model: str, ids: list[int], vals: Any) -> bool:
        hook = self.rules.hooks.get((model, "write"))
        if hook:
            return bool(hook(self, ids, vals))
        for rec in self.browse_existing(model, ids):
            raw = self.convert(model, vals, rec)
            rec.update(raw)
            rec["write_date"] = now_string()
        return True

    def unlink(self, model: str, ids: list[int]) -> bool:
        hook = self.rules.hooks.get((model, "unlink"))
        if hook:
            hook(self, ids)
        table = self.table(model)
        for rec in self.browse_existing(model, ids):
            del table[str(rec["id"])]
        return True


def _check_date(model: str, name: str, value: str) -> None:
    try:
        datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        raise ServerError(f"time data {value!r} does not match format '%Y-%m-%d'") from None


def apply_commands(env: Env, fld: Field, current: list[int], value: Any) -> list[int]:
    """x2many commands `(0,0,vals)` … `(6,0,ids)` (or a bare id list) on a many2many id list.
    one2many creation is done by the model's own hook; here `(0, 0, vals)` is refused."""
    if not isinstance(value, list | tuple):
        raise ServerError(f"Invalid x2many value {value!r}", "TypeError")
    ids = list(current)
    for cmd in value:
        if isinstance(cmd, int) and not isinstance(cmd, bool):
            ids.append(cmd) if cmd not in ids else None
            continue
        if not isinstance(cmd, list | tuple) or not cmd or cmd[0] not in range(7):
            raise ServerError(f"Invalid command {cmd!r} for an x2many field", "ValueError")
        code = cmd[0]
        if code == 6:
            ids = [int(i) for i in (cmd[2] if len(cmd) > 2 else [])]
        elif code == 5:
            ids = []
        elif code == 4 and cmd[1] not in ids:
            ids.append(int(cmd[1]))
        elif code in (2, 3):
            ids = [i for i in ids if i != cmd[1]]
        elif code in (0, 1):
            raise UserError(f"Field {fld.string}: nested create/update is not supported here")
    for rid in ids:
        if env.get(fld.relation or "", rid) is None:
            raise MissingError(f"Record does not exist or has been deleted.\n(Record: {fld.relation}({rid},))")
    return ids
