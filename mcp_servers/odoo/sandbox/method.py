"""How one emulated Odoo method is called: its parameters, whether it takes record ids, and what runs it.

Kept apart from `rpc` (which lists the methods) so a module that adds a method, such as `mail`, needs no
import of the list it is added to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NO_DEFAULT = object()  # a parameter the caller must give


@dataclass(frozen=True)
class Method:
    params: tuple[tuple[str, Any], ...]  # (name, default or NO_DEFAULT), after `ids` for record methods
    on_records: bool
    run: Callable[..., Any]
    reads: bool = True
    owner: str = ""  # the Python class named in argument errors, e.g. "Partner." (Partner.default_get())
