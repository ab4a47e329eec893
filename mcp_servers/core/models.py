"""Result and preview models every server shares (what the model sees on every tool call)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from mcp_servers.core.status import WriteStatus

ModeLabel = Literal["SANDBOX", "LIVE"]


class ToolResult(BaseModel):
    """Base of every tool result: says whether the data came from the sandbox or the live account."""

    mode: ModeLabel = Field(default="SANDBOX", description="SANDBOX: the built-in emulator, not a real account")


class Preview(BaseModel):
    """What a write would do, computed without side effects. Filled by each service's preview."""

    summary: str = Field(description="One line for the owner, e.g. 'Post to Facebook: Excited to…'")
    details: str = Field(default="", description="Markdown for the owner: exactly what will be sent")
    request: dict[str, Any] = Field(default_factory=dict, description="The exact API request that would be sent")
    warnings: list[str] = Field(default_factory=list)
    cost: str | None = Field(default=None, description="What the API charges for this call, if anything")
    rate_limit: str | None = Field(default=None, description="Quota left, e.g. '48 of 50 posts left in 24 h'")
    amount: Decimal | None = Field(default=None, description="Money actions: amount in company currency")
    currency: str | None = None
    partner_known: bool | None = Field(default=None, description="Money actions: the payee already exists")
    recurring: bool | None = Field(
        default=None,
        description="Money actions: a matching earlier transaction with this payee, owner-made or owner-approved, "
        "at least a day old",
    )
    scheduled_for: datetime | None = None
    platforms: list[str] = Field(default_factory=list)
    lookup_failed: bool = Field(default=False, description="The policy's facts could not be looked up")
    action_type: str | None = Field(
        default=None, description="Overrides the tool's action type for this call (a reply filed by create_post)"
    )
    binding: dict[str, str] | None = Field(
        default=None,
        description="The remote state this preview was computed from, which execution must still find "
        "(e.g. {'amount_total': '977.50', 'lines': 'sha256:…'}); signed into the request as the call's `expect`",
    )
    payee: str | None = Field(
        default=None, description="Money actions: who is paid or invoiced, e.g. 'odoo:res.partner:42' (daily cap)"
    )
    amount_due: Decimal | None = Field(
        default=None, description="Payments: what is still due, in company currency (never auto-approve more)"
    )


class WriteResult(ToolResult):
    """The answer of every write tool."""

    status: WriteStatus = Field(
        description="preview: nothing done; filed: a request awaits approval (or was auto-approved); "
        "executed/replayed: done (replayed = done earlier, stored result returned); failed; "
        "ambiguous: may or may not have happened, the owner is asked; in_progress: running elsewhere"
    )
    message: str = Field(description="What happened and what to do next, for the owner")
    preview: Preview | None = None
    request_id: str | None = None
    request_path: str | None = Field(default=None, description="The request file, relative to the vault")
    requires_approval: bool | None = None
    result: dict[str, Any] | None = Field(default=None, description="What the service returned")
    error: str | None = None
