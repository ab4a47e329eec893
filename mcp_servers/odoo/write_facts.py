"""What the Odoo writes share: the policy's facts (a precedent, amounts in company currency), the request id
each write carries into Odoo (marked when no owner approved it), and the time bound of a write."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import ServiceError
from mcp_servers.core.vault import APPROVED, DONE
from mcp_servers.odoo.client import OdooClient

RECURRING_TOLERANCE = 0.01  # a past amount within 1 % counts as the same amount
AUTO_MARK = "auto-approved]"  # ends the request id a write carries into Odoo when no owner approved it
PRECEDENT_AGE = timedelta(days=1)


def money(x: float) -> Decimal:
    return Decimal(str(round(x, 2)))


A = TypeVar("A", bound=BaseModel)


def bounded(
    execute: Callable[[OdooClient, A, CallContext], dict[str, Any]],
) -> Callable[[OdooClient, A, CallContext], dict[str, Any]]:
    """The execution of a write, bounded by ODOO_WRITE_TIMEOUT as a whole (see `OdooClient.bounded`)."""

    @functools.wraps(execute)
    def run(client: OdooClient, args: A, call: CallContext) -> dict[str, Any]:
        with client.bounded():
            return execute(client, args, call)

    return run


def request_mark(call: CallContext) -> str:
    """The request id a write carries into Odoo (`[id]`), marked `[id auto-approved]` when the owner did not
    approve it, so an auto-approved write never becomes the precedent of the next auto-approval."""
    from mcp_servers.core import action_request as ar

    try:
        path = ar.find_request(call.vault, call.request_id, (APPROVED, DONE))
        owner_approved = path is not None and ar.read_request_file(call.vault, path).request.requires_approval
    except Exception:  # unreadable: not proven owner-approved
        owner_approved = False
    return f"[{call.request_id}]" if owner_approved else f"[{call.request_id} {AUTO_MARK}"


def find_precedent(
    client: OdooClient, model: str, domain: list[Any], field: str, amount: float, marker: str
) -> tuple[bool, bool]:
    """(recurring, lookup_failed): an earlier record for the same partner with the same amount (±1 %) that is a
    precedent: created at least a day ago, and made by the owner in Odoo or by a request the owner approved
    (`marker` holds the request id; an auto-approved one is never a precedent). `amount` may be negative."""
    low, high = sorted((amount * (1 - RECURRING_TOLERANCE), amount * (1 + RECURRING_TOLERANCE)))
    cutoff = (datetime.now(UTC) - PRECEDENT_AGE).strftime("%Y-%m-%d %H:%M:%S")
    precedent = [["create_date", "<", cutoff], [marker, "not ilike", AUTO_MARK]]
    try:
        return client.count(model, [*domain, [field, ">=", low], [field, "<=", high], *precedent]) > 0, False
    except ServiceError:
        return False, True


def company_amount(move: dict[str, Any], amount: float) -> float:
    """`amount` in the invoice's currency, converted to company currency at the invoice's own rate."""
    residual, signed = float(move["amount_residual"]), abs(float(move["amount_residual_signed"]))
    total, total_signed = float(move["amount_total"]), abs(float(move["amount_total_signed"]))
    if residual and signed:
        return round(amount * signed / residual, 2)
    return round(amount * total_signed / total, 2) if total else amount
