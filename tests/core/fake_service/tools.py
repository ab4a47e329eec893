"""The fake service's tools: plain functions over the client."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.models import Preview
from tests.core.fake_service.client import FakeClient
from tests.core.fake_service.models import AddNoteArgs, ListNotesArgs, NoteList


def list_notes(client: FakeClient, args: ListNotesArgs) -> NoteList:
    """List every note."""
    return NoteList(notes=client.notes())


def preview_note(client: FakeClient, args: AddNoteArgs) -> Preview:
    if args.text.startswith("crash:"):  # a bug whose traceback carries the token into the server log
        raise RuntimeError(f"bug while previewing with {client.token}")
    return Preview(
        summary=f"Add note: {args.text}",
        details=f"Will add the note **{args.text}**.",
        request={"text": args.text},
        amount=args.amount,
        partner_known=args.payee_known,
        recurring=args.recurring,
        scheduled_for=args.scheduled_for,
        platforms=["fake"],
    )


def add_note(client: FakeClient, args: AddNoteArgs, call: CallContext) -> dict[str, Any]:
    return client.add_note(args.text, ref=call.request_id)


def resolve_note(client: FakeClient, args: AddNoteArgs, call: CallContext) -> Resolution:
    client.resolved_from.append(call.now)
    for note in client._load()["notes"]:
        if note["ref"] == call.request_id:
            return Resolution.done(note, "found the note by its reference")
    return Resolution.not_applied("no note carries this request's reference")


ADD_NOTE = WriteAction(
    name="add_note",
    action_type="payment",
    args=AddNoteArgs,
    preview=preview_note,
    execute=add_note,
    resolve=resolve_note,
    title="Add a note",
    description="Add a note to the fake service.",
)
