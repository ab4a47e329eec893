"""Argument and result models of the fake service."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from mcp_servers.core.models import ToolResult


class ListNotesArgs(BaseModel):
    pass


class NoteList(ToolResult):
    notes: list[dict[str, object]]


class AddNoteArgs(BaseModel):
    text: str = Field(min_length=1, max_length=200, description="The note's text")
    amount: Decimal | None = Field(default=None, description="Treat as a money action of this amount")
    payee_known: bool = Field(default=True, description="Whether the payee exists")
    recurring: bool = Field(default=False, description="Whether a matching past payment exists")
    scheduled_for: datetime | None = Field(default=None, description="When to add it")
    tags: list[str] = Field(default_factory=list, description="Labels (a default_factory field must work too)")
