"""The emulator's chatter: `mail.message` and `mail.message.subtype`, and `message_post` on the models
that have one (mail.thread), recorded as a real Odoo 17/18/19 records it.

What real Odoo does (checked on 17.0, 18.0 and 19.0 servers): `message_post(body=..., partner_ids=[...],
message_type="comment", subtype_xmlid="mail.mt_comment")` stores a `mail.message` with that model and
res_id, the recipients in `partner_ids` and subtype "Discussions". A plain-text body is HTML-escaped
and wrapped in `<p>…</p>` (newlines kept as they are); with `body_is_html=True` it is kept as HTML,
sanitised (scripts dropped). The answer is the new message's id over XML-RPC on 17 and 18 (the method
is `@api.returns`), and a one-id list on 19, over XML-RPC and JSON-2 alike. An id that does not exist
is a MissingError."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from mcp_servers.odoo.sandbox.errors import MissingError, ServerError, UserError
from mcp_servers.odoo.sandbox.method import Method
from mcp_servers.odoo.sandbox.schema import Field, Model, _base, _m2o, _sel, now_string

if TYPE_CHECKING:
    from mcp_servers.odoo.sandbox.orm import Env
THREAD_MODELS = frozenset({"account.move", "account.payment", "res.partner"})
SUBTYPES: dict[str, dict[str, Any]] = {  # xmlid -> the record every database has from the mail module's data
    "mail.mt_comment": {"id": 1, "name": "Discussions", "internal": False},
    "mail.mt_note": {"id": 2, "name": "Note", "internal": True},
}
MESSAGE_TYPES = ("email", "comment", "notification", "user_notification")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ON_ATTR = re.compile(r"\s+on\w+\s*=\s*(\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE)


def models(version: int) -> list[Model]:
    """The two mail models the emulator knows (the same fields on 17, 18 and 19 for what we read)."""
    return [
        Model(
            "mail.message",
            "Message",
            _base(
                model=Field("char", "Related Document Model"),
                res_id=Field("integer", "Related Document ID"),
                record_name=Field("char", "Message Record Name", readonly=True),
                body=Field("html", "Contents"),
                subject=Field("char", "Subject"),
                message_type=Field("selection", "Type", selection=_sel(*MESSAGE_TYPES), required=True),
                subtype_id=_m2o("mail.message.subtype", "Subtype"),
                partner_ids=Field("many2many", "Recipients", relation="res.partner"),
                author_id=_m2o("res.partner", "Author"),
                email_from=Field("char", "From"),
                date=Field("datetime", "Date"),
            ),
            order="id desc",
            rec_name="record_name",
        ),
        Model(
            "mail.message.subtype",
            "Message subtypes",
            _base(name=Field("char", "Message Type", required=True), internal=Field("boolean", "Internal Only")),
            order="id",
        ),
    ]


def _body(body: Any, body_is_html: bool) -> str:
    if not isinstance(body, str):
        raise ServerError(f"Wrong value for mail.message.body: {body!r}", "TypeError")
    if body_is_html:
        return _ON_ATTR.sub("", _SCRIPT.sub("", body))
    return f"<p>{html.escape(body, quote=False)}</p>" if body else ""


def _subtype(env: Env, xmlid: Any) -> int | bool:
    if not xmlid:
        return False
    found = SUBTYPES.get(str(xmlid))
    if found is None:
        raise ServerError(f"External ID not found in the system: {xmlid}", "ValueError")
    table = env.table("mail.message.subtype")
    table.setdefault(str(found["id"]), {**found, "create_date": now_string(), "write_date": now_string()})
    return int(found["id"])


def message_post(env: Env, model: str, ids: list[int] | None, **kw: Any) -> Any:
    if len(ids or []) != 1:
        raise ServerError(f"Expected singleton: {model}({', '.join(map(str, ids or []))},)", "ValueError")
    rid = (ids or [0])[0]
    record = env.get(model, rid)
    if record is None:
        raise MissingError(f"Record does not exist or has been deleted.\n(Record: {model}({rid},), User: {env.uid})")
    if kw["message_type"] not in MESSAGE_TYPES:
        raise ServerError(f"Wrong value for mail.message.message_type: {kw['message_type']!r}", "ValueError")
    partners = list(kw["partner_ids"] or [])
    env.browse_existing("res.partner", partners)
    if kw["message_type"] == "user_notification":
        raise UserError("A user notification is posted with message_notify, not message_post.")
    author = env.get("res.users", env.uid) or {}
    sender = env.get("res.partner", int(author.get("partner_id") or 0)) or {}
    message = env.create_raw(
        "mail.message",
        {
            "model": model,
            "res_id": rid,
            "record_name": record.get("name") or False,
            "body": _body(kw["body"], bool(kw["body_is_html"])),
            "subject": kw["subject"] or False,
            "message_type": kw["message_type"],
            "subtype_id": _subtype(env, kw["subtype_xmlid"]),
            "partner_ids": partners,
            "author_id": sender.get("id", False),
            "email_from": f'"{sender["name"]}" <{sender["email"]}>' if sender.get("email") else False,
            "date": now_string(),
        },
    )
    return [message["id"]] if env.version >= 19 else message["id"]


def method(model: str, name: str) -> Method | None:
    """`message_post` on a model with a chatter; None for anything else."""
    if name != "message_post" or model not in THREAD_MODELS:
        return None
    params = (
        ("body", ""),
        ("subject", None),
        ("message_type", "notification"),
        ("subtype_xmlid", None),
        ("partner_ids", None),
        ("body_is_html", False),
    )
    return Method(params, True, message_post, reads=False)
