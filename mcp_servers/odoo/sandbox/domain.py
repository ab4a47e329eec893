"""Odoo's domain language for the emulator: validation, normalisation and compilation to a predicate.

Prefix notation with implicit AND, `&`/`|` binary and `!` unary; leaves `(path, operator, value)` with
dotted paths through relations, many2one matched by name when the value is text, `child_of`/`parent_of`
over the model's parent field, `active_test`. An invalid domain raises the ValueError Odoo raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.errors import ServerError
from mcp_servers.odoo.sandbox.schema import X2MANY

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env

Record = dict[str, Any]
Predicate = Callable[[Record], bool]

# Kept apart from the client's list (odoo/models.py) on purpose: the emulator stands in for Odoo, so a difference
# between the two shows up as a failing contract replay instead of being hidden by a shared import.
OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "=?",
        "child_of",
        "parent_of",
    }
)
_NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}
_TRUE_LEAF = (1, "=", 1)
_FALSE_LEAF = (0, "=", 1)


def _syntax_error(domain: Any) -> ServerError:
    return ServerError(f"Domain {domain!r} is syntactically not correct.")


def _is_leaf(token: Any) -> bool:
    return isinstance(token, list | tuple) and len(token) == 3


def normalize(domain: Any) -> list[Any]:
    """The domain with explicit `&`; refuses anything that is not a well-formed prefix expression."""
    if not isinstance(domain, list | tuple):
        raise _syntax_error(domain)
    if not domain:
        return [list(_TRUE_LEAF)]
    result: list[Any] = []
    expected = 1
    for token in domain:
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if token in ("&", "|"):
            expected += 1
        elif token == "!":
            pass
        elif _is_leaf(token):
            expected -= 1
        else:
            raise _syntax_error(domain)
        result.append(token)
    if expected != 0:
        raise _syntax_error(domain)
    return result


def _sql_like(pattern: str, wrap: bool, insensitive: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    if wrap:
        body = f".*{body}.*"
    return re.compile(f"^{body}$", re.S | (re.I if insensitive else 0))


def _scalar_test(op: str, value: Any) -> Callable[[Any], bool]:
    """A test on one stored value (False = NULL) for a positive operator."""
    if op == "=":
        return lambda v: v is False if value is False else v == value
    if op == "in":
        values = set(value)
        has_null = False in values
        return lambda v: (v is False and has_null) or (v is not False and v in values)
    if op in ("like", "ilike", "=like", "=ilike"):
        rx = _sql_like(str(value), wrap=not op.startswith("="), insensitive="ilike" in op)
        return lambda v: v is not False and rx.match(str(v)) is not None
    import operator

    compare: Callable[[Any, Any], Any] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[op]

    def test(v: Any) -> bool:
        if v is False or value is False or value is None:
            return False
        try:
            return bool(compare(v, value))
        except TypeError:
            return False

    return test


def _not(p: Predicate) -> Predicate:
    return lambda r: not p(r)


def _and(a: Predicate, b: Predicate) -> Predicate:
    return lambda r: a(r) and b(r)


def _or(a: Predicate, b: Predicate) -> Predicate:
    return lambda r: a(r) or b(r)


class DomainCompiler:
    """Compiles a domain for one model of an `Env` into a predicate on raw records."""

    def __init__(self, env: Env) -> None:
        self.env = env

    def compile(self, model: str, domain: Any, *, active_test: bool = True) -> Predicate:
        tokens = normalize(domain)
        spec = self.env.model(model)
        if active_test and "active" in spec.fields and not _mentions_active(tokens):
            tokens = ["&", ["active", "=", True], *tokens]
        stack: list[Predicate] = []
        for token in reversed(tokens):
            if token == "!":
                if not stack:
                    raise _syntax_error(domain)
                stack.append(_not(stack.pop()))
            elif token in ("&", "|"):
                if len(stack) < 2:
                    raise _syntax_error(domain)
                a, b = stack.pop(), stack.pop()
                stack.append(_and(a, b) if token == "&" else _or(a, b))
            else:
                stack.append(self._leaf(model, token))
        if len(stack) != 1:
            raise _syntax_error(domain)
        return stack[0]

    def _leaf(self, model: str, leaf: Any) -> Predicate:
        path, op, value = leaf
        if tuple(leaf) == _TRUE_LEAF:
            return lambda r: True
        if tuple(leaf) == _FALSE_LEAF:
            return lambda r: False
        if not isinstance(path, str) or not isinstance(op, str) or op.lower() not in OPERATORS:
            where = "Invalid operator in condition" if self.env.version >= 19 else "Invalid leaf"
            raise ServerError(f"{where} {tuple(leaf)!r}")
        op = op.lower()
        if op in ("in", "not in") and not isinstance(value, list | tuple):
            value = [value]
        return self._path_test(model, path.split("."), op, value, leaf)

    def _invalid_field(self, model: str, name: str, leaf: Any) -> ServerError:
        where = "condition" if self.env.version >= 19 else "leaf"
        return ServerError(f"Invalid field {model}.{name} in {where} {tuple(leaf)!r}")

    def _path_test(self, model: str, parts: list[str], op: str, value: Any, leaf: Any) -> Predicate:
        """A dotted path tests its last field on the related records (a negation included, as Odoo
        searches the related model): `parent_id.name not ilike x` needs a parent."""
        spec = self.env.model(model)
        name = parts[0]
        fld = spec.fields.get(name)
        if fld is None:
            raise self._invalid_field(model, name, leaf)
        getter = self.env.getter(model, name)
        if len(parts) > 1:
            if fld.relation is None:
                raise self._invalid_field(model, name, leaf)
            sub = self._path_test(fld.relation, parts[1:], op, value, leaf)
            return self._through(fld.relation, getter, fld.type in X2MANY, sub)
        if op in _NEGATIVE:
            test = self._field_test(model, name, _NEGATIVE[op], value)
            return lambda r: not test(r)
        return self._field_test(model, name, op, value)

    def _field_test(self, model: str, name: str, op: str, value: Any) -> Predicate:
        fld = self.env.model(model).fields[name]
        getter = self.env.getter(model, name)
        if fld.type in ("date", "datetime"):
            _check_date_value(self.env.version, fld.type, value)
        if op in ("child_of", "parent_of"):
            return self._hierarchy(model, name, op, value, getter)
        if op == "=?":
            if value is False or value is None:
                return lambda r: True
            op = "="
        if fld.relation and (
            isinstance(value, str) or (isinstance(value, list | tuple) and any(isinstance(v, str) for v in value))
        ):
            return self._by_name(fld.relation, getter, fld.type in X2MANY, op, value)
        if fld.type in X2MANY:
            return self._x2many_test(getter, op, value)
        test = _scalar_test(op, value)
        return lambda r: test(getter(r))

    def _through(self, relation: str, getter: Callable[[Record], Any], many: bool, sub: Predicate) -> Predicate:
        table = self.env.table(relation)

        def test(r: Record) -> bool:
            raw = getter(r)
            ids = raw if many else ([raw] if raw else [])
            return any((rec := table.get(str(i))) is not None and sub(rec) for i in ids)

        return test

    def _by_name(self, relation: str, getter: Callable[[Record], Any], many: bool, op: str, value: Any) -> Predicate:
        ops = {"=": "=", "in": "in", "like": "like", "ilike": "ilike", "=like": "=like", "=ilike": "=ilike"}
        if op not in ops:
            raise ServerError(f"Invalid leaf for a relational field compared to text: {op!r} {value!r}")
        rec_name = self.env.model(relation).rec_name
        matcher = _scalar_test(op, value)
        name_of = self.env.getter(relation, rec_name)
        ids = {int(k) for k, rec in self.env.table(relation).items() if matcher(name_of(rec))}
        if many:
            return lambda r: bool(ids.intersection(getter(r)))
        return lambda r: getter(r) in ids

    def _x2many_test(self, getter: Callable[[Record], Any], op: str, value: Any) -> Predicate:
        if op == "=" and value is False:
            return lambda r: not getter(r)
        if op in ("=", "in"):
            wanted = set(value) if op == "in" else {value}
            return lambda r: bool(wanted.intersection(getter(r)))
        test = _scalar_test(op, value)
        return lambda r: any(test(v) for v in getter(r))

    def _hierarchy(self, model: str, name: str, op: str, value: Any, getter: Callable[[Record], Any]) -> Predicate:
        fld = self.env.model(model).fields[name]
        target = fld.relation if fld.relation else model
        parent = self.env.model(target).parent
        if target == model and name == parent:  # `parent_id child_of x` is `id child_of x`, as in Odoo
            fld, getter = self.env.model(model).fields["id"], self.env.getter(model, "id")
        roots = self._resolve_ids(target, value)
        table = self.env.table(target)
        related: set[int] = set(roots)
        if parent:
            if op == "child_of":
                changed = True
                while changed:
                    before = len(related)
                    related |= {int(k) for k, rec in table.items() if rec.get(parent) in related}
                    changed = len(related) != before
            else:
                for rid in list(roots):
                    cur = table.get(str(rid))
                    while cur and cur.get(parent):
                        related.add(cur[parent])
                        cur = table.get(str(cur[parent]))
        if fld.type in X2MANY:
            return lambda r: bool(related.intersection(getter(r)))
        return lambda r: getter(r) in related

    def _resolve_ids(self, model: str, value: Any) -> set[int]:
        values = value if isinstance(value, list | tuple) else [value]
        ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
        names = [v for v in values if isinstance(v, str)]
        if names:
            name_of = self.env.getter(model, self.env.model(model).rec_name)
            ids |= {int(k) for k, rec in self.env.table(model).items() if name_of(rec) in names}
        return ids


def _check_date_value(version: int, kind: str, value: Any) -> None:
    """A text that is no date: PostgreSQL refuses it on 17/18, the domain parser on 19."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if not isinstance(item, str):
            continue
        try:
            date.fromisoformat(item[:10])
        except ValueError:
            if version >= 19:
                raise ServerError(f"Invalid term {item!r} in expression date: {item!r}") from None
            raise ServerError(
                f'invalid input syntax for type {"date" if kind == "date" else "timestamp"}: "{item}"\n'
                f"LINE 1: ...\n             ^",
                "psycopg2.errors.InvalidDatetimeFormat",
            ) from None


def _mentions_active(tokens: list[Any]) -> bool:
    return any(_is_leaf(t) and isinstance(t[0], str) and t[0].split(".")[0] == "active" for t in tokens)


def parse_order(spec_fields: dict[str, Any], order: Any, model: str) -> list[tuple[str, bool]]:
    """`"name desc, id"` → [("name", True), ("id", False)]; an unknown field is Odoo's ValueError."""
    if order in (None, False, ""):
        return []
    if not isinstance(order, str):
        raise ServerError(f"Invalid order {order!r} for model {model}")
    result = []
    for part in order.split(","):
        words = part.strip().split()
        if not words or len(words) > 3:
            raise ServerError(f"Invalid order {order!r} for model {model}")
        name = words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if name not in spec_fields or direction not in ("asc", "desc"):
            raise ServerError(f"Invalid field {name!r} on model {model!r}")
        result.append((name, direction == "desc"))
    return result
