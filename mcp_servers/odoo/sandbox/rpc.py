"""Which methods the emulated Odoo answers, per version, and how XML-RPC positional arguments and
JSON-2 named arguments bind to them (with the errors Odoo gives when they do not)."""

from __future__ import annotations

from typing import Any

from mcp_servers.odoo.sandbox import group, mail, registry
from mcp_servers.odoo.sandbox.errors import ServerError, bad_arguments, missing_method, private_method
from mcp_servers.odoo.sandbox.method import NO_DEFAULT, Method
from mcp_servers.odoo.sandbox.orm import Env


def _p(*names: str | tuple[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((n, NO_DEFAULT) if isinstance(n, str) else n for n in names)


def _generic(version: int) -> dict[str, Method]:
    name_search_domain = "args" if version < 19 else "domain"  # real 18.0 still names it args
    methods = {
        "search": Method(
            _p("domain", ("offset", 0), ("limit", None), ("order", None)),
            False,
            lambda env, m, ids, **kw: env.search(m, **kw),
        ),
        "search_read": Method(
            _p(("domain", None), ("fields", None), ("offset", 0), ("limit", None), ("order", None)), False, _search_read
        ),
        "search_count": Method(
            _p("domain", ("limit", None)), False, lambda env, m, ids, **kw: env.search_count(m, **kw)
        ),
        "read": Method(
            _p(("fields", None), ("load", "_classic_read")), True, lambda env, m, ids, **kw: env.read(m, ids, **kw)
        ),
        "fields_get": Method(
            _p(("allfields", None), ("attributes", None)), False, lambda env, m, ids, **kw: env.fields_get(m, **kw)
        ),
        "default_get": Method(
            _p("fields" if version >= 19 else "fields_list"),
            False,
            lambda env, m, ids, **kw: env.default_get(m, *kw.values()),
        ),
        "name_search": Method(
            _p(("name", ""), (name_search_domain, None), ("operator", "ilike"), ("limit", 100)),
            False,
            lambda env, m, ids, **kw: env.name_search(
                m, kw["name"], kw[name_search_domain], kw["operator"], kw["limit"]
            ),
        ),
        "read_group": Method(
            _p("domain", "fields", "groupby", ("offset", 0), ("limit", None), ("orderby", False), ("lazy", True)),
            False,
            lambda env, m, ids, **kw: group.read_group(env, m, **kw),
        ),
        "create": Method(_p("vals_list"), False, _create, reads=False),
        "write": Method(_p("vals"), True, lambda env, m, ids, **kw: env.write(m, ids, **kw), reads=False),
        "unlink": Method((), True, lambda env, m, ids: env.unlink(m, ids), reads=False),
        "exists": Method((), True, lambda env, m, ids: [i for i in ids if env.get(m, i) is not None]),
    }
    if version < 18:
        methods["name_get"] = Method(
            (), True, lambda env, m, ids: [[r["id"], r["display_name"]] for r in env.read(m, ids, ["display_name"])]
        )
    if version >= 19:
        methods["formatted_read_group"] = Method(
            _p(
                ("domain", None),
                ("groupby", ()),
                ("aggregates", ()),
                ("having", ()),
                ("offset", 0),
                ("limit", None),
                ("order", None),
            ),
            False,
            lambda env, m, ids, **kw: group.formatted_read_group(env, m, **kw),
        )
    return methods


def _search_read(env: Env, model: str, ids: Any, **kw: Any) -> list[dict[str, Any]]:
    found = env.search(model, kw["domain"] or [], kw["offset"], kw["limit"], kw["order"])
    return env.read(model, found, kw["fields"])


def _create(env: Env, model: str, ids: Any, vals_list: Any) -> Any:
    created = env.create(model, vals_list)
    return created[0] if isinstance(vals_list, dict) else created


def _specific(model: str, method: str) -> Method | None:
    if model == "res.users" and method == "context_get":
        return Method((), False, lambda env, m, ids: {"lang": "en_US", "tz": False, "uid": env.uid})
    run = registry.METHODS.get((model, method))
    if run is None:
        return None
    return Method((), True, lambda env, m, ids, _run=run: _run(env, ids), reads=False)


def _own_signature(version: int, model: str, method: str) -> Method | None:
    """res.partner's own `default_get(default_fields)` on 17/18 (as recorded from real Odoo)."""
    if model == "res.partner" and method == "default_get" and version < 19:
        return Method(
            _p("default_fields"), False, lambda env, m, ids, **kw: env.default_get(m, *kw.values()), owner="Partner."
        )
    return None


def lookup(env: Env, model: str, method: str) -> Method:
    """The method, or the error Odoo gives (private → access error; unknown model or method)."""
    env.model(model)
    if method.startswith("_") or (method == "exists" and env.version >= 19):  # `exists` is private on 19
        raise private_method(model, method, env.version)
    found = (
        mail.method(model, method)
        or _specific(model, method)
        or _own_signature(env.version, model, method)
        or _generic(env.version).get(method)
    )
    if found is None:
        raise missing_method(model, method, env.version)
    return found


def _as_ids(value: Any) -> list[int]:
    items = value if isinstance(value, list | tuple) else [value]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        raise ServerError(f"Invalid ids {value!r}", "TypeError")
    return list(items)


def bind_positional(
    method: Method, name: str, args: list[Any], kwargs: dict[str, Any]
) -> tuple[list[int] | None, dict[str, Any]]:
    """XML-RPC `execute_kw(..., args, kwargs)`: ids first for record methods, then by position."""
    args = list(args)
    ids = None
    if method.on_records:
        if not args:
            raise bad_arguments(f"{name}() missing 1 required positional argument: 'ids'")
        ids = _as_ids(args.pop(0))
    if len(args) > len(method.params):
        raise bad_arguments(
            f"{name}() takes {len(method.params) + 1} positional arguments but "
            f"{len(args) + 1 + method.on_records} were given"
        )
    bound = {pname: value for (pname, _), value in zip(method.params, args, strict=False)}
    for key, value in kwargs.items():
        if key not in dict(method.params):
            raise bad_arguments(f"{method.owner}{name}() got an unexpected keyword argument '{key}'")
        if key in bound:
            raise bad_arguments(f"{name}() got multiple values for argument '{key}'")
        bound[key] = value
    return ids, _fill_defaults(method, name, bound)


def bind_named(method: Method, model: str, name: str, body: dict[str, Any]) -> tuple[list[int] | None, dict[str, Any]]:
    """JSON-2: every parameter by name; `ids` only for record methods."""
    body = dict(body)
    raw_ids = body.pop("ids", None)
    context = body.pop("context", None)
    if raw_ids is not None and not method.on_records:
        raise bad_arguments(f"cannot call {model}.{name} with ids")
    ids = _as_ids(raw_ids) if method.on_records else None
    if method.on_records and ids is None:
        ids = []
    for key in body:
        if key not in dict(method.params):
            raise bad_arguments(f"{method.owner}{name}() got an unexpected keyword argument '{key}'")
    return ids, {**_fill_defaults(method, name, body), "context": context}


def _fill_defaults(method: Method, name: str, bound: dict[str, Any]) -> dict[str, Any]:
    for pname, default in method.params:
        if pname not in bound:
            if default is NO_DEFAULT:
                raise bad_arguments(f"{name}() missing 1 required positional argument: '{pname}'")
            bound[pname] = default
    return bound
