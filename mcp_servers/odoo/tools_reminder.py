"""`send_payment_reminder`: a message to the customer on the invoice's chatter through Odoo's own
messaging (`message_post` on `account.move`, the customer in `partner_ids`, a "Discussions" comment),
so Odoo's mail server emails it and the reminder stays in the invoice's history.

The request id goes into the message's last line ("Payment reminder ref. <id>"): `resolve` finds the
message by it after a crash, and the cooldown (`ODOO_REMINDER_COOLDOWN_DAYS`) is read back from the
same chatter, so a reminder sent by another process or an earlier run counts too."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import Field, field_validator

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Conflict
from mcp_servers.core.models import Preview
from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.models import RecordId, _Args
from mcp_servers.odoo.tools import company
from mcp_servers.odoo.tools_write import _move

MARKER = "Payment reminder ref."
MAX_MESSAGE = 4000
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


class SendPaymentReminderArgs(_Args):
    invoice_id: RecordId = Field(description="A posted customer invoice with an amount due (from list_invoices)")
    message: str | None = Field(
        default=None,
        max_length=MAX_MESSAGE,
        description="The text to send instead of the default for how late the invoice is (plain text; a blank "
        "line starts a new paragraph). A reference line with the request id is always added at the end.",
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("message is empty: leave it out to send the default text, or write the text")
        return value.strip() if value is not None else None


@dataclass(frozen=True)
class Plan:
    number: str
    partner_id: int
    partner: str
    email: str
    amount_due: float
    currency: str
    due: date | None
    days_overdue: int
    text: str


def cooldown_days() -> int:
    from mcp_servers.odoo.settings import OdooSettings

    return OdooSettings().reminder_cooldown_days


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def default_text(plan: Plan, company_name: str) -> str:
    """A polite text per overdue band; it names the due date, never a day count, so it reads the same
    whichever day the owner approves it."""
    amount, due = _money(plan.amount_due, plan.currency), f"{plan.due:%d %B %Y}" if plan.due else "its due date"
    if plan.days_overdue <= 0:
        ask = f"This is a friendly reminder that invoice {plan.number} for {amount} is due on {due}."
    elif plan.days_overdue <= 30:
        ask = (
            f"Our records show that invoice {plan.number}, due on {due}, still has {amount} open. It may simply "
            "have slipped through: could you arrange payment in the coming days?"
        )
    elif plan.days_overdue <= 60:
        ask = (
            f"Invoice {plan.number} was due on {due} and {amount} is still open. We would be grateful if you "
            "could arrange payment this week, or let us know when we can expect it."
        )
    else:
        ask = (
            f"Invoice {plan.number} has been overdue since {due}, with {amount} still open. Please arrange payment "
            "as soon as possible, or reply to this message if something is wrong with the invoice so we can "
            "sort it out together."
        )
    return (
        f"Dear {plan.partner},\n\n{ask}\n\nIf you have already paid, please disregard this message, and thank "
        f"you.\n\nKind regards,\n{company_name}"
    )


def to_html(text: str, request_id: str) -> str:
    """Paragraphs of escaped text (a line break stays a line break) and the reference line."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    parts = ["<br>".join(html.escape(line.strip()) for line in p.splitlines()) for p in paragraphs]
    return "".join(f"<p>{p}</p>" for p in [*parts, f"{MARKER} {html.escape(request_id)}"])


def _last_reminder(client: OdooClient, invoice_id: int, since: datetime) -> dict[str, Any] | None:
    rows = client.search_read(
        "mail.message",
        [
            ["model", "=", "account.move"],
            ["res_id", "=", invoice_id],
            ["message_type", "=", "comment"],
            ["body", "ilike", MARKER],
            ["date", ">=", since.astimezone(UTC).strftime(ODOO_DATETIME)],
        ],
        ["date"],
        limit=1,
        order="date desc",
    )
    return rows[0] if rows else None


def _check_cooldown(client: OdooClient, number: str, invoice_id: int, now: datetime) -> None:
    days = cooldown_days()
    last = _last_reminder(client, invoice_id, now - timedelta(days=days)) if days else None
    if last:
        raise Conflict(
            f"A payment reminder for {number} was already sent on {last['date']} UTC, within the {days}-day "
            "cooldown: wait, or change ODOO_REMINDER_COOLDOWN_DAYS."
        )


def _recipient(client: OdooClient, move: dict[str, Any]) -> tuple[int, str, str]:
    partner_id = move["partner_id"][0] if move["partner_id"] else 0
    rows = client.read_ids("res.partner", [partner_id], ["name", "email"]) if partner_id else []
    if not rows:
        raise Conflict(f"{move['name']} has no customer to remind.")
    if not rows[0]["email"]:
        raise Conflict(
            f"{rows[0]['name']} (partner {partner_id}) has no email address, so Odoo cannot send the reminder: "
            "add one to the contact in Odoo first."
        )
    return partner_id, rows[0]["name"], rows[0]["email"]


def _plan(client: OdooClient, args: SendPaymentReminderArgs, now: datetime) -> Plan:
    move = _move(client, args.invoice_id)
    if move["move_type"] != "out_invoice":
        raise Conflict(f"{move['name']} is not a customer invoice: reminders are only for invoices customers owe.")
    if move["state"] != "posted":
        raise Conflict(f"Invoice {args.invoice_id} is {move['state']}, not posted: there is nothing to remind of.")
    if move["amount_residual"] <= 0 or move["payment_state"] in ("paid", "in_payment", "reversed"):
        raise Conflict(f"{move['name']} is already paid ({move['payment_state']}): there is nothing to remind of.")
    partner_id, partner, email = _recipient(client, move)
    _check_cooldown(client, move["name"], args.invoice_id, now)
    due_raw = client.read_ids("account.move", [args.invoice_id], ["invoice_date_due"])[0]["invoice_date_due"]
    due = date.fromisoformat(due_raw) if due_raw else None
    info = company(client)
    plan = Plan(
        number=move["name"],
        partner_id=partner_id,
        partner=partner,
        email=email,
        amount_due=move["amount_residual"],
        currency=info["currency"],
        due=due,
        days_overdue=(now.date() - due).days if due else 0,
        text="",
    )
    return Plan(**{**plan.__dict__, "text": args.message or default_text(plan, info["name"])})


def _fenced(text: str) -> str:
    """The text verbatim in a code fence longer than any backtick run in it: nothing in it renders."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def preview_reminder(client: OdooClient, args: SendPaymentReminderArgs) -> Preview:
    plan = _plan(client, args, datetime.now(UTC))
    late = f"{plan.days_overdue} days overdue" if plan.days_overdue > 0 else "not overdue yet"
    due, amount = (plan.due.isoformat() if plan.due else "none"), _money(plan.amount_due, plan.currency)
    return Preview(
        summary=f"Payment reminder to {plan.partner} for {plan.number}: {amount} due, {late}",
        details=f"| | |\n|---|---|\n| Recipient | {plan.partner} |\n| Email | {plan.email} |\n"
        f"| Invoice | {plan.number} (id {args.invoice_id}) |\n| Amount due | {amount} |\n"
        f"| Due date | {due} ({late}) |\n\nPosted on the invoice's chatter in Odoo as a message to the "
        f"customer; Odoo's mail server emails it. The text:\n\n{_fenced(plan.text)}\n\nA last line "
        f"'{MARKER} <request id>' is added so the reminder can be found again.",
        request={
            "model": "account.move",
            "method": "message_post",
            "ids": [args.invoice_id],
            "partner_ids": [plan.partner_id],
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "body_is_html": True,
        },
        platforms=["odoo"],
        binding={
            "amount_due": f"{plan.amount_due:.2f}",
            "text": "sha256:" + hashlib.sha256(f"{plan.email}\n{plan.text}".encode()).hexdigest(),
        },
    )


def send_payment_reminder(client: OdooClient, args: SendPaymentReminderArgs, call: CallContext) -> dict[str, Any]:
    plan = _plan(client, args, call.now)  # re-checked at run time: still due, still outside the cooldown
    answer = client.call(
        "account.move",
        "message_post",
        [args.invoice_id],
        body=to_html(plan.text, call.request_id),
        body_is_html=True,
        partner_ids=[plan.partner_id],
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    message_id = answer[0] if isinstance(answer, list) else answer  # 17/18: the id; 19: [id]
    return _result(args.invoice_id, plan.number, int(message_id), plan.email)


def _result(invoice_id: int, number: str, message_id: int, email: str) -> dict[str, Any]:
    return {"invoice_id": invoice_id, "number": number, "message_id": message_id, "sent_to": email}


def resolve_reminder(client: OdooClient, args: SendPaymentReminderArgs, call: CallContext) -> Resolution:
    rows = client.search_read(
        "mail.message",
        [["model", "=", "account.move"], ["res_id", "=", args.invoice_id], ["body", "ilike", call.request_id]],
        ["partner_ids"],
        limit=1,
    )
    if not rows:
        return Resolution.not_applied("the invoice's chatter has no message with this request id")
    emails = client.read_ids("res.partner", rows[0]["partner_ids"][:1], ["email"])
    number = _move(client, args.invoice_id)["name"]
    result = _result(args.invoice_id, number, rows[0]["id"], emails[0]["email"] if emails else "")
    return Resolution.done(result, "found the reminder on the invoice's chatter by its request id")


SEND_PAYMENT_REMINDER = WriteAction(
    name="send_payment_reminder",
    action_type="payment_reminder",
    args=SendPaymentReminderArgs,
    preview=preview_reminder,
    execute=send_payment_reminder,
    resolve=resolve_reminder,
    title="Send a payment reminder for an overdue invoice",
    description="Email the customer a polite payment reminder through Odoo: posted on the invoice's chatter as a "
    "message to the customer, so Odoo sends it and it stays in the invoice's history. The default text depends "
    "on how late the invoice is; pass `message` to send your own. Refused for a paid or draft invoice, a "
    "customer without email, or when a reminder was sent within the cooldown (7 days by default). Always needs "
    "the owner's approval.",
    destructive=False,
    idempotent=False,
)
