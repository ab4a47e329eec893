"""Server-side grouping for the emulator: `read_group` (≤18.1 shape) and `formatted_read_group` (18.2+).

One pass over the matching records, so a client asking for monthly revenue makes one call whatever
the number of invoices.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.domain import _scalar_test
from mcp_servers.odoo.sandbox.errors import ServerError
from mcp_servers.odoo.sandbox.orm import display_name
from mcp_servers.odoo.sandbox.schema import NUMERIC

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env, Record

GRANULARITIES = ("day", "week", "month", "quarter", "year")
NUMBER_PARTS = (
    "year_number",
    "quarter_number",
    "month_number",
    "iso_week_number",
    "day_of_month",
    "day_of_week",
    "day_of_year",
)
AGGREGATORS = ("sum", "min", "max", "avg", "count", "count_distinct", "array_agg", "bool_and", "bool_or")


class _GroupBy:
    """One groupby spec (`partner_id`, `invoice_date:month`): the key of a record and its labels."""

    def __init__(self, env: Env, model: str, spec: str) -> None:
        self.spec = spec
        name, _, gran = spec.partition(":")
        fields = env.model(model).fields
        if name not in fields:
            raise ServerError(f"Invalid field {name!r} on model {model!r}")
        self.name, self.field = name, fields[name]
        if gran and (self.field.type not in ("date", "datetime") or gran not in GRANULARITIES + NUMBER_PARTS):
            raise ServerError(f"Invalid granularity {gran!r} for field {name!r}")
        self.gran = gran or ("month" if self.field.type in ("date", "datetime") else "")
        self.get = env.getter(model, name)
        self.env = env

    def key(self, rec: Record) -> Any:
        value = self.get(rec)
        if self.gran and value:
            return _bucket(value[:10], self.gran)
        if isinstance(value, list):
            return tuple(value)
        return value

    def start_end(self, key: Any) -> tuple[str, str]:
        start = date.fromisoformat(key)
        return key, _next(start, self.gran).isoformat()

    def m2o_value(self, key: Any) -> Any:
        rec = self.env.get(self.field.relation or "", key) if key else None
        if rec is None:
            return False
        return [key, display_name(self.env, self.field.relation or "", rec)]

    def sort_key(self, key: Any) -> Any:
        if key is False or key is None:
            return (1, "")
        if self.field.type == "many2one":
            value = self.m2o_value(key)
            return (0, value[1] if value else "")
        return (0, key)


def _bucket(day: str, gran: str) -> Any:
    d = date.fromisoformat(day)
    if gran == "day":
        return d.isoformat()
    if gran == "week":  # Odoo follows the user's language: en_US weeks start on Sunday
        return (d - timedelta(days=d.isoweekday() % 7)).isoformat()
    if gran == "month":
        return d.replace(day=1).isoformat()
    if gran == "quarter":
        return d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1).isoformat()
    if gran == "year":
        return d.replace(month=1, day=1).isoformat()
    return {
        "year_number": d.year,
        "quarter_number": (d.month - 1) // 3 + 1,
        "month_number": d.month,
        "iso_week_number": d.isocalendar()[1],
        "day_of_month": d.day,
        "day_of_week": d.isoweekday() % 7,
        "day_of_year": d.timetuple().tm_yday,
    }[gran]


def _next(d: date, gran: str) -> date:
    if gran == "day":
        return d + timedelta(days=1)
    if gran == "week":
        return d + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[gran]
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _label(key: str, gran: str) -> str:
    d = date.fromisoformat(key)
    return {
        "day": d.strftime("%d %b %Y"),
        "week": f"W{d.isocalendar()[1]} {d.isocalendar()[0]}",
        "month": d.strftime("%B %Y"),
        "quarter": f"Q{(d.month - 1) // 3 + 1} {d.year}",
        "year": str(d.year),
    }[gran]


def _parse_aggregate(env: Env, model: str, spec: str, *, legacy: bool) -> tuple[str, str, str]:
    """(output key, field, aggregator) for `field:agg`, `alias:agg(field)` or (read_group) bare `field`."""
    fields = env.model(model).fields
    if spec == "__count":
        return spec, "id", "count"
    alias, _, rest = spec.partition(":")
    if rest and "(" in rest and rest.endswith(")"):
        agg, fname = rest[:-1].split("(", 1)
    elif rest:
        agg, fname = rest, alias
    elif legacy:
        agg, fname = "sum", alias
    else:
        raise ServerError(f"Invalid aggregate {spec!r}: use 'field:aggregator'")
    if fname not in fields or agg not in AGGREGATORS:
        raise ServerError(
            f"Invalid field {fname!r} on model {model!r}"
            if fname not in fields
            else f"Invalid aggregation function {agg!r}."
        )
    return (alias if legacy else spec), fname, agg


def _aggregate(agg: str, values: list[Any]) -> Any:
    present = [v for v in values if v is not False and v is not None]
    if agg == "sum":
        return round(sum(present), 2) if present else 0.0
    if agg in ("min", "max"):
        return (min if agg == "min" else max)(present) if present else False
    if agg == "avg":
        return round(sum(present) / len(present), 6) if present else False
    if agg == "count":
        return len(values)
    if agg == "count_distinct":
        return len({tuple(v) if isinstance(v, list) else v for v in present})
    if agg == "array_agg":
        return values
    return all(values) if agg == "bool_and" else any(values)


def _groups(env: Env, model: str, domain: Any, groupbys: list[_GroupBy]) -> dict[tuple[Any, ...], list[Record]]:
    groups: dict[tuple[Any, ...], list[Record]] = {}
    for rec in env.records(model, domain):
        groups.setdefault(tuple(g.key(rec) for g in groupbys), []).append(rec)
    return groups


def _ordered(
    groups: dict[tuple[Any, ...], list[Record]], groupbys: list[_GroupBy], offset: int, limit: int | None
) -> list[tuple[tuple[Any, ...], list[Record]]]:
    items = sorted(groups.items(), key=lambda kv: tuple(g.sort_key(k) for g, k in zip(groupbys, kv[0], strict=True)))
    return items[offset : offset + limit if limit else None]


def _values(env: Env, model: str, aggs: list[tuple[str, str, str]], recs: list[Record]) -> dict[str, Any]:
    out = {}
    for key, fname, agg in aggs:
        get = env.getter(model, fname)
        out[key] = len(recs) if agg == "count" and fname == "id" else _aggregate(agg, [get(r) for r in recs])
    return out


def read_group(
    env: Env,
    model: str,
    domain: Any,
    fields: Any,
    groupby: Any,
    offset: int = 0,
    limit: int | None = None,
    orderby: Any = False,
    lazy: bool = True,
) -> list[dict[str, Any]]:
    specs = [groupby] if isinstance(groupby, str) else list(groupby or [])
    if lazy and specs:
        specs = specs[:1]
    groupbys = [_GroupBy(env, model, s) for s in specs]
    model_fields = env.model(model).fields
    aggs = []
    for spec in fields or []:
        name = spec.split(":")[0]
        if spec == "__count" or (":" not in spec and name in model_fields and model_fields[name].type not in NUMERIC):
            continue
        aggs.append(_parse_aggregate(env, model, spec, legacy=True))
    count_key = f"{groupbys[0].name}_count" if lazy and groupbys else "__count"
    rows = []
    for key, recs in _ordered(_groups(env, model, domain, groupbys), groupbys, offset, limit):
        row: dict[str, Any] = {}
        extra: list[Any] = []
        ranges: dict[str, Any] = {}
        for g, k in zip(groupbys, key, strict=True):
            if g.gran in GRANULARITIES:
                row[g.spec] = _label(k, g.gran) if k else False
                bounds = g.start_end(k) if k else None
                ranges[g.spec] = {"from": bounds[0], "to": bounds[1]} if bounds else False
                extra += [[g.name, ">=", bounds[0]], [g.name, "<", bounds[1]]] if bounds else [[g.name, "=", False]]
            else:
                row[g.spec] = g.m2o_value(k) if g.field.type == "many2one" else (list(k) if isinstance(k, tuple) else k)
                extra.append([g.name, "=", k if not isinstance(k, tuple) else list(k)])
        row[count_key] = len(recs)
        row.update(_values(env, model, aggs, recs))
        row["__domain"] = extra + list(domain or [])
        if ranges:
            row["__range"] = ranges
        if lazy and len(specs) < len([groupby] if isinstance(groupby, str) else list(groupby or [])):
            row["__context"] = {"group_by": list(groupby)[1:]}
        rows.append(row)
    if not groupbys and not rows:
        rows = [{"__count": 0, **_values(env, model, aggs, []), "__domain": list(domain or [])}]
    return rows


def formatted_read_group(
    env: Env,
    model: str,
    domain: Any,
    groupby: Any = (),
    aggregates: Any = (),
    having: Any = (),
    offset: int = 0,
    limit: int | None = None,
    order: Any = None,
) -> list[dict[str, Any]]:
    groupbys = [_GroupBy(env, model, s) for s in (groupby or [])]
    aggs = [_parse_aggregate(env, model, s, legacy=False) for s in (aggregates or [])]
    having_tests = [
        (leaf[0], _scalar_test(leaf[1], leaf[2]))
        for leaf in (having or [])
        if isinstance(leaf, list | tuple) and len(leaf) == 3
    ]
    rows = []
    for key, recs in _ordered(_groups(env, model, domain, groupbys), groupbys, 0, None):
        row: dict[str, Any] = {}
        extra: list[Any] = []
        for g, k in zip(groupbys, key, strict=True):
            if g.gran in GRANULARITIES:
                row[g.spec] = [k, _label(k, g.gran)] if k else False
                bounds = g.start_end(k) if k else None
                extra += [[g.name, ">=", bounds[0]], [g.name, "<", bounds[1]]] if bounds else [[g.name, "=", False]]
            else:
                row[g.spec] = g.m2o_value(k) if g.field.type == "many2one" else (list(k) if isinstance(k, tuple) else k)
                extra.append([g.name, "=", k if not isinstance(k, tuple) else list(k)])
        row.update(_values(env, model, aggs, recs))
        row["__extra_domain"] = extra
        if all(test(row.get(name)) for name, test in having_tests):
            rows.append(row)
    if not groupbys and not rows:  # no GROUP BY: SQL answers one row, its sums NULL (false), as real 19 does
        empty = {spec: 0 if spec == "__count" else False for spec in (aggregates or [])}
        rows.append({**empty, "__extra_domain": []})
    return rows[offset : offset + limit if limit else None]


GROUP_METHODS: dict[str, Callable[..., Any]] = {"read_group": read_group, "formatted_read_group": formatted_read_group}
