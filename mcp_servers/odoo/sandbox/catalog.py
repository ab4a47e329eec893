"""Each Odoo version's model registry: the models written in `schema` and `mail`, completed with real
Odoo's fields (`fields/odoo<version>.json`)."""

from __future__ import annotations

from mcp_servers.odoo.sandbox import mail
from mcp_servers.odoo.sandbox.fields import with_real_fields
from mcp_servers.odoo.sandbox.schema import Model, emulated_models

_CACHE: dict[int, dict[str, Model]] = {}


def models_for(version: int) -> dict[str, Model]:
    """The model registry of one Odoo version (built once, shared: never mutate it): the models above
    with real Odoo's stored fields and attributes (`fields/odoo<version>.json`)."""
    if version not in _CACHE:
        emulated = {**emulated_models(version), **{m.name: m for m in mail.models(version)}}
        _CACHE[version] = with_real_fields(emulated, version)
    return _CACHE[version]
