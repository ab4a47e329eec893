"""Parse recorded Odoo exchanges and normalise them so that two servers can be compared.

Normalisation (documented in tests/odoo/contract/README.md): record ids become `@<model>#<id>` (the
model found from the method, the field's relation or the domain path), dates `@date+N` (days from the
day of recording), datetimes `@datetime`, the year/month inside sequence numbers `@Y`/`@M`, the database
`@db`, the uid `@uid`, the API key `@secret`, floats rounded to 6 places, faults reduced to their code
and the last line of their message. `Matcher` compares a recorded answer with a live one, binding each
recorded id symbol to the id the other server gave the first time it shows it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

Relations = dict[str, dict[str, str]]  # model -> field -> related model (relational fields only)
MODEL_METHODS = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "create",
        "fields_get",
        "default_get",
        "name_search",
        "read_group",
        "formatted_read_group",
        "context_get",
        "check_access_rights",
        "has_access",
    }
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$")
_SEQ_YM = re.compile(r"/(\d{4})/(\d{2})/")
_SEQ_Y = re.compile(r"/(\d{4})/")
_SYMBOL = re.compile(r"^@([\w.]+)#(-?\d+)$")
_BUILD = re.compile(r"^((?:saas~)?\d+\.\d+)\S*$")  # "17.0-20240709", "18.0+e-20250520" -> the serie
_ID_OPS = frozenset({"=", "!=", "in", "not in", "child_of", "parent_of"})


def last_line(text: str) -> str:
    lines = [ln for ln in str(text).strip().splitlines() if ln.strip()]
    return lines[-1].strip() if lines else ""


@dataclass
class Norm:
    """What to hide: this recording's day, database, uid and key."""

    relations: Relations
    day: date
    db: str
    secret: str
    uid: int = 2
    now: datetime | None = None  # the recording's moment: a datetime within the hour is `@now`

    # --- scalars ----------------------------------------------------------------------------------
    def scalar(self, value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 6)
        if not isinstance(value, str):
            return value
        if value == self.secret and value:
            return "@secret"
        if value == self.db and value:
            return "@db"
        match = _DATE.match(value)
        if match:
            try:
                return f"@date{(date.fromisoformat(value) - self.day).days:+d}"
            except ValueError:
                return value
        if _DATETIME.match(value):
            return self.datetime(value)
        return _SEQ_Y.sub("/@Y/", _SEQ_YM.sub("/@Y/@M/", value))

    def datetime(self, value: str) -> str:
        try:
            moment = datetime.fromisoformat(value.replace("T", " ")[:19])
        except ValueError:
            return "@datetime"
        if self.now is None:
            return "@datetime"
        return f"@now{round((moment - self.now).total_seconds() / 3600):+d}h"  # e.g. "a day ago": @now-24h

    def any(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.any(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.any(v) for v in value]
        return self.scalar(value)

    # --- ids --------------------------------------------------------------------------------------
    def sym(self, model: str | None, value: Any) -> Any:
        if model and isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return f"@{model}#{value}"
        return self.any(value)

    def syms(self, model: str | None, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [self.sym(model, v) for v in value]
        return self.sym(model, value)

    def relation(self, model: str, name: str) -> str | None:
        if (model, name) == ("mail.message", "res_id"):  # names a record of `model`: always an invoice here
            return "account.move"
        return self.relations.get(model, {}).get(name)

    def path_model(self, model: str, path: str) -> str | None:
        """The model whose ids a domain path compares (`partner_id.parent_id` → res.partner)."""
        current: str | None = model
        for part in path.split("."):
            if current is None:
                return None
            current = current if part == "id" else self.relation(current, part)
        return current

    def domain(self, model: str, domain: Any) -> Any:
        if not isinstance(domain, list):
            return self.any(domain)
        out: list[Any] = []
        for token in domain:
            if isinstance(token, list | tuple) and len(token) == 3 and isinstance(token[0], str):
                path, op, value = token
                target = self.path_model(model, path) if op in _ID_OPS else None
                out.append([path, op, self.syms(target, value) if target else self.any(value)])
            else:
                out.append(self.any(token))
        return out

    def value(self, model: str, name: str, value: Any) -> Any:
        rel = self.relation(model, name)
        if name == "id":
            return self.sym(model, value)
        if rel is None:
            return self.any(value)
        if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str) and isinstance(value[0], int):
            return [self.sym(rel, value[0]), self.any(value[1])]  # many2one as read: [id, name]
        if isinstance(value, list):
            return [self.command(rel, v) for v in value]
        return self.sym(rel, value)

    def command(self, rel: str, item: Any) -> Any:
        if not isinstance(item, list | tuple) or not item:
            return self.sym(rel, item)
        code = item[0]
        if code in (0, 1) and len(item) == 3:
            return [code, self.sym(rel, item[1]), self.vals(rel, item[2])]
        if code == 6 and len(item) == 3:
            return [6, 0, self.syms(rel, item[2])]
        return [code, *[self.sym(rel, v) for v in item[1:]]]

    def vals(self, model: str, vals: Any) -> Any:
        if isinstance(vals, list):
            return [self.vals(model, v) for v in vals]
        if not isinstance(vals, dict):
            return self.any(vals)
        return {k: self.value(model, k, v) for k, v in vals.items()}

    def context(self, ctx: Any) -> Any:
        if not isinstance(ctx, dict):
            return self.any(ctx)
        out = self.any(ctx)
        active = ctx.get("active_model")
        if isinstance(active, str):
            for key in ("active_id", "active_ids"):
                if key in ctx:
                    out[key] = self.syms(active, ctx[key])
        if "allowed_company_ids" in ctx:
            out["allowed_company_ids"] = self.syms("res.company", ctx["allowed_company_ids"])
        if "uid" in ctx:
            out["uid"] = "@uid"
        return out

    # --- a call's parameters and its result ---------------------------------------------------------
    def params(self, model: str, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in kwargs.items():
            if key in ("domain", "args") and method in MODEL_METHODS | {"read_group"}:
                out[key] = self.domain(model, value)
            elif key in ("vals", "vals_list"):
                out[key] = self.vals(model, value)
            elif key == "ids":
                out[key] = self.syms(model, value)
            elif key == "partner_ids" and method == "message_post":  # the recipients (issue 16)
                out[key] = self.syms("res.partner", value)
            elif key == "context":
                out[key] = self.context(value)
            else:
                out[key] = self.any(value)
        return out

    def args(self, model: str, method: str, args: list[Any]) -> list[Any]:
        args = list(args)
        head: list[Any] = []
        if method not in MODEL_METHODS and args:
            head.append(self.syms(model, args.pop(0)))
        if not args:
            return head
        first = args.pop(0)
        if method in ("create", "write"):
            head.append(self.vals(model, first))
        elif method in ("search", "search_read", "search_count", "read_group", "formatted_read_group"):
            head.append(self.domain(model, first))
        else:
            head.append(self.any(first))
        if method == "name_search" and args:
            head.append(self.domain(model, args.pop(0)))
        return head + [self.any(a) for a in args]

    def result(self, model: str, method: str, value: Any) -> Any:
        if method in ("search", "create"):
            return self.syms(model, value)
        if method == "message_post":  # the new message: its id on 17/18, [id] on 19
            return self.syms("mail.message", value)
        if method in ("read", "search_read", "default_get", "web_read", "web_search_read"):
            return self.vals(model, value)
        if method in ("name_search", "name_get") and isinstance(value, list):
            return [[self.sym(model, r[0]), self.any(r[1])] if isinstance(r, list) else r for r in value]
        if method in ("read_group", "formatted_read_group") and isinstance(value, list):
            return [self.group_row(model, row) for row in value]
        if method == "context_get":
            return self.context(value)
        if method == "version" and isinstance(value, dict) and isinstance(value.get("server_version"), str):
            out = {**self.any(value), "server_version": _BUILD.sub(r"\1", value["server_version"])}
            info = out.get("server_version_info")
            if isinstance(info, list) and len(info) == 6:
                out["server_version_info"] = [*info[:5], ""]  # "e" on an enterprise build
            return out
        if isinstance(value, dict) and isinstance(value.get("res_model"), str):
            out = self.any(value)
            target = value["res_model"]
            if "res_id" in value:
                out["res_id"] = self.sym(target, value["res_id"])
            if "domain" in value:
                out["domain"] = self.domain(target, value["domain"])
            if "context" in value:
                out["context"] = self.context(value["context"])
            return out
        return self.any(value)

    def group_row(self, model: str, row: Any) -> Any:
        if not isinstance(row, dict):
            return self.any(row)
        out: dict[str, Any] = {}
        for key, value in row.items():
            if key in ("__domain", "__extra_domain"):
                out[key] = _conjunction(self.domain(model, value))
            else:
                out[key] = self.value(model, key.split(":")[0], value) if key != "id" else self.any(value)
        return out


def _conjunction(domain: Any) -> Any:
    """A group's domain compared by meaning when it only ANDs leaves: the sorted leaves, without the
    always-true leaf (real Odoo writes explicit `&` and its own order; the emulator may not)."""
    if not isinstance(domain, list) or any(t in ("|", "!") for t in domain):
        return domain
    leaves = [t for t in domain if t != "&" and t != [1, "=", 1]]
    return sorted(leaves, key=lambda t: json.dumps(t, sort_keys=True))
