"""How a service describes a write (`WriteAction`) and what the gate hands it (`CallContext`, `Resolution`).
Kept apart from the gate and free of heavy imports: every server loads this at start-up, while the
gate (signing, YAML, ledger) is loaded on the first write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from mcp_servers.core.models import Preview
from mcp_servers.core.vault import Vault

ClientT = TypeVar("ClientT")
ArgsT = TypeVar("ArgsT", bound=BaseModel)


@dataclass(frozen=True)
class CallContext:
    """Handed to `execute`/`resolve`: put `request_id` in an external reference where the API allows.
    `now` is when the call was first started, also when `resolve` runs long after a crash: a read that
    looks for the write must look from then."""

    request_id: str
    call_id: str
    now: datetime
    scheduled_for: datetime | None
    vault: Vault


@dataclass(frozen=True)
class Resolution:
    """What a read after an interrupted write found: applied (with the result), not applied, or unknown."""

    applied: bool | None
    result: dict[str, Any] | None = None
    note: str = ""

    @classmethod
    def done(cls, result: dict[str, Any], note: str = "") -> Resolution:
        return cls(True, result, note)

    @classmethod
    def not_applied(cls, note: str = "") -> Resolution:
        return cls(False, None, note)

    @classmethod
    def unknown(cls, note: str = "") -> Resolution:
        return cls(None, None, note)


@dataclass(frozen=True)
class WriteAction(Generic[ClientT, ArgsT]):
    """A write tool: its arguments model, a side-effect-free preview, the real write, and optionally a
    read that settles an interrupted write."""

    name: str
    action_type: str
    args: type[ArgsT]
    preview: Callable[[ClientT, ArgsT], Preview]
    execute: Callable[[ClientT, ArgsT, CallContext], dict[str, Any]]
    title: str
    description: str
    resolve: Callable[[ClientT, ArgsT, CallContext], Resolution] | None = None
    destructive: bool = False
    idempotent: bool = False
