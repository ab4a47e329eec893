"""send_payment_reminder (issue 16): the emulator's chatter answers as real Odoo 17/18/19 did, the
preview shows what the customer will get, every refusal says why, and the reminder is found again by
its request id."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import Conflict, NotFound
from mcp_servers.core.policy import Policy, PolicyFacts
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools_reminder as tr
from mcp_servers.odoo.client import OdooClient
from tests.odoo.conftest import Raw, client_for

NOW = datetime.now(UTC)


def _ctx(tmp_path: object, rid: str = "20261201-030000-odoo-rem1") -> CallContext:
    return CallContext(rid, f"{rid}#0", NOW, None, Vault(str(tmp_path)))  # type: ignore[arg-type]


def _overdue(raw: Raw) -> dict[str, Any]:
    """A posted, unpaid, overdue customer invoice whose customer has an email."""
    rows = raw.call(
        "account.move",
        "search_read",
        [
            [
                ["move_type", "=", "out_invoice"],
                ["state", "=", "posted"],
                ["amount_residual", ">", 0],
                ["invoice_date_due", "<", (date.today() - timedelta(days=61)).isoformat()],
            ]
        ],
        {"fields": ["name", "partner_id", "amount_residual", "invoice_date_due"], "limit": 1},
    )
    return dict(rows[0])


def _chatter(raw: Raw, move_id: int) -> list[dict[str, Any]]:
    return list(
        raw.call(
            "mail.message",
            "search_read",
            [[["model", "=", "account.move"], ["res_id", "=", move_id]]],
            {"fields": ["model", "res_id", "body", "partner_ids", "message_type", "subtype_id", "date"]},
        )
    )


def test_message_post_answers_as_real_odoo(odoo: Raw) -> None:
    inv = _overdue(odoo)
    answer = odoo.call(
        "account.move",
        "message_post",
        [[inv["id"]]],
        {
            "body": "Hi <b>\n1 & 2",
            "partner_ids": [inv["partner_id"][0]],
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        },
    )
    message_id = answer[0] if odoo.version >= 19 else answer
    assert answer == ([message_id] if odoo.version >= 19 else message_id)  # 17/18: the id; 19: [id]
    [msg] = _chatter(odoo, inv["id"])
    assert msg["id"] == message_id and msg["body"] == "<p>Hi &lt;b&gt;\n1 &amp; 2</p>"
    assert msg["partner_ids"] == [inv["partner_id"][0]] and msg["message_type"] == "comment"
    assert msg["subtype_id"] == [1, "Discussions"]
    fault = odoo.fault("account.move", "message_post", [[999999]], {"body": "x"})
    assert fault.faultCode == 2 and fault.faultString.startswith("Record does not exist or has been deleted.")
    if odoo.version >= 19:
        status, body = odoo.json2(
            "account.move",
            "message_post",
            {
                "ids": [inv["id"]],
                "body": "<p>ok</p><script>x()</script>",
                "body_is_html": True,
                "message_type": "comment",
            },
        )
        assert status == 200 and body == [message_id + 1]
        assert _chatter(odoo, inv["id"])[0]["body"] == "<p>ok</p>"
        status, body = odoo.json2("account.move", "message_post", {"ids": [999999], "body": "x"})
        assert status == 404 and body["name"] == "odoo.exceptions.MissingError"


def test_a_reminder_always_needs_approval() -> None:
    assert tr.SEND_PAYMENT_REMINDER.action_type == "payment_reminder"
    decision = Policy().decide(PolicyFacts(action_type="payment_reminder"))
    assert decision.requires_approval and "payment reminder" in decision.reason


def test_preview_shows_what_the_customer_gets_and_sends_nothing(client: OdooClient, odoo: Raw) -> None:
    inv = _overdue(odoo)
    [partner] = odoo.call("res.partner", "read", [[inv["partner_id"][0]]], {"fields": ["name", "email"]})
    preview = tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=inv["id"]))
    days = (date.today() - date.fromisoformat(inv["invoice_date_due"])).days
    for fact in (partner["name"], partner["email"], inv["name"], f"{inv['amount_residual']:,.2f}", f"{days} days"):
        assert fact in preview.details, fact
    assert "has been overdue since" in preview.details  # the text of the 61+ days band
    assert preview.request["method"] == "message_post" and preview.request["partner_ids"] == [partner["id"]]
    assert preview.binding is not None and preview.binding["amount_due"] == f"{inv['amount_residual']:.2f}"
    assert _chatter(odoo, inv["id"]) == []


def test_default_text_per_overdue_band() -> None:
    plan = tr.Plan("INV/1", 1, "Ann", "a@x.example", 1234.5, "USD", date(2026, 9, 15), 0, "")
    texts = [tr.default_text(tr.Plan(**{**plan.__dict__, "days_overdue": d}), "Shop") for d in (0, 10, 45, 90)]
    assert "is due on 15 September 2026" in texts[0] and "1,234.50 USD" in texts[0]
    assert "slipped through" in texts[1] and "this week" in texts[2] and "overdue since" in texts[3]
    assert len(set(texts)) == 4 and all(t.startswith("Dear Ann,") and t.endswith("Shop") for t in texts)


def test_send_reads_back_and_resolves_by_request_id(client: OdooClient, odoo: Raw, tmp_path: object) -> None:
    inv = _overdue(odoo)
    args = tr.SendPaymentReminderArgs(invoice_id=inv["id"], message="Hello,\n\n`x` <b>*not* bold</b>\nthanks")
    ctx = _ctx(tmp_path)
    assert tr.resolve_reminder(client, args, ctx).applied is False
    sent = tr.send_payment_reminder(client, args, ctx)
    [msg] = _chatter(odoo, inv["id"])
    assert sent["message_id"] == msg["id"] and msg["partner_ids"] == [inv["partner_id"][0]]
    assert msg["body"] == (
        f"<p>Hello,</p><p>`x` &lt;b&gt;*not* bold&lt;/b&gt;<br>thanks</p><p>Payment reminder ref. {ctx.request_id}</p>"
    )
    found = tr.resolve_reminder(client, args, ctx)
    assert found.applied is True and found.result == sent
    assert tr.resolve_reminder(client, args, _ctx(tmp_path, "20261201-030000-odoo-other")).applied is False


def test_refusals_say_why(client: OdooClient, odoo: Raw, tmp_path: object) -> None:
    with pytest.raises(NotFound, match="no invoice or bill with id 999999"):
        tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=999999))
    paid = odoo.call("account.move", "search", [[["move_type", "=", "out_invoice"], ["payment_state", "=", "paid"]]])
    with pytest.raises(Conflict, match="already paid"):
        tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=paid[0]))
    draft = odoo.call("account.move", "search", [[["move_type", "=", "out_invoice"], ["state", "=", "draft"]]])
    with pytest.raises(Conflict, match="draft, not posted"):
        tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=draft[0]))
    bill = odoo.call("account.move", "search", [[["move_type", "=", "in_invoice"], ["state", "=", "posted"]]])
    with pytest.raises(Conflict, match="not a customer invoice"):
        tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=bill[0]))
    inv = _overdue(odoo)
    odoo.call("res.partner", "write", [[inv["partner_id"][0]], {"email": False}])
    with pytest.raises(Conflict, match=r"has no email address.*add one"):
        tr.preview_reminder(client, tr.SendPaymentReminderArgs(invoice_id=inv["id"]))
    with pytest.raises(ValidationError, match="message is empty"):
        tr.SendPaymentReminderArgs(invoice_id=1, message="  \n ")


def test_cooldown_is_read_back_from_the_chatter(
    client: OdooClient, odoo: Raw, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    inv = _overdue(odoo)
    args = tr.SendPaymentReminderArgs(invoice_id=inv["id"])
    tr.send_payment_reminder(client, args, _ctx(tmp_path))
    with pytest.raises(Conflict, match=r"already sent on .* within the 7-day cooldown"):
        tr.preview_reminder(client, args)
    with pytest.raises(Conflict, match="cooldown"):  # the execution re-checks it too
        tr.send_payment_reminder(client, args, _ctx(tmp_path, "20261201-030000-odoo-rem2"))
    monkeypatch.setenv("ODOO_REMINDER_COOLDOWN_DAYS", "0")
    assert tr.preview_reminder(client, args).summary.startswith("Payment reminder to")
    monkeypatch.setenv("ODOO_REMINDER_COOLDOWN_DAYS", "7")
    later = CallContext("r-later", "r-later#0", NOW + timedelta(days=8), None, Vault(str(tmp_path)))  # type: ignore[arg-type]
    assert tr.send_payment_reminder(client, args, later)["number"] == inv["name"]


def test_same_behaviour_over_json2_and_xmlrpc_on_19(odoo19: Raw, tmp_path: object) -> None:
    inv = _overdue(odoo19)
    for protocol, rid in (("json2", "r-json2"), ("xmlrpc", "r-xmlrpc")):
        client = client_for(odoo19, protocol)
        args = tr.SendPaymentReminderArgs(invoice_id=inv["id"], message=f"via {protocol}")
        sent = tr.send_payment_reminder(client, args, _ctx(tmp_path, rid))
        assert isinstance(sent["message_id"], int) and client.protocol == protocol
        assert tr.resolve_reminder(client, args, _ctx(tmp_path, rid)).result == sent
        mine = [m for m in _chatter(odoo19, inv["id"]) if rid in m["body"]]
        assert [m["id"] for m in mine] == [sent["message_id"]]
        odoo19.call("mail.message", "unlink", [[sent["message_id"]]])  # so the next protocol is not in cooldown


@pytest.mark.anyio
@pytest.mark.slow
async def test_file_approve_execute_read_back_through_the_server(vault: Vault) -> None:
    """The real server process: dry run, file, the owner's move to Approved/, the orchestrator's call,
    then the message read back from the emulator's state; a second reminder is refused (cooldown)."""
    import json

    from tests.odoo.test_mcp_server import approve_and_run, call, error, odoo_server

    async with odoo_server(vault) as s:
        overdue = (await call(s, "list_invoices", status="overdue", limit=1))["invoices"][0]
        preview = await call(s, "send_payment_reminder", invoice_id=overdue["id"])
        assert preview["status"] == "preview" and "days overdue" in preview["preview"]["details"]
        done = await approve_and_run(s, vault, "send_payment_reminder", invoice_id=overdue["id"])
        assert done["status"] == "executed", done
        assert "cooldown" in await error(s, "send_payment_reminder", invoice_id=overdue["id"], dry_run=False)
    state = json.loads((vault.root / ".ai_employee" / "sandbox" / "odoo.json").read_text())
    [msg] = [m for m in state["models"]["mail.message"].values() if m["res_id"] == overdue["id"]]
    assert msg["id"] == done["result"]["message_id"] and msg["model"] == "account.move"
    assert done["request_id"] in msg["body"] and msg["message_type"] == "comment" and msg["partner_ids"]


def _reminders(vault: Vault, request_id: str) -> list[dict[str, Any]]:
    import json

    state = json.loads((vault.root / ".ai_employee" / "sandbox" / "odoo.json").read_text())
    return [m for m in state["models"].get("mail.message", {}).values() if request_id in m["body"]]


@pytest.mark.anyio
@pytest.mark.slow
async def test_adversarial_exactly_once_and_approval_rules(vault: Vault) -> None:
    """A lost answer is settled by the read (never sent twice); asking again replays; changed arguments,
    an unapproved request and a paid invoice are refused; nothing runs without the owner's move."""
    import shutil

    from mcp_servers.odoo.sandbox import write_faults
    from tests.odoo.test_mcp_server import call, odoo_server

    state = vault.state_path("sandbox", "odoo.json")
    async with odoo_server(vault, ODOO_TIMEOUT="1") as s:
        first, second = (await call(s, "list_invoices", status="overdue", limit=2))["invoices"]
        filed = await call(s, "send_payment_reminder", dry_run=False, invoice_id=first["id"])
        assert filed["status"] == "filed" and filed["requires_approval"] is True
        early = await s.call_tool(
            "send_payment_reminder", {"invoice_id": first["id"], "dry_run": False, "approval_id": filed["request_id"]}
        )
        assert early.is_error and "Pending_Approval" in early.content[0].text  # type: ignore[union-attr]
        path = vault.root / filed["request_path"]
        shutil.move(path, vault.folder("Approved") / path.name)
        other = await s.call_tool(
            "send_payment_reminder",
            {"invoice_id": second["id"], "dry_run": False, "approval_id": filed["request_id"]},
        )
        assert other.is_error and "arguments" in other.content[0].text  # type: ignore[union-attr]
        write_faults(state, [{"kind": "timeout_after_commit", "seconds": 2.5, "method": "message_post"}])
        done = await call(
            s, "send_payment_reminder", dry_run=False, approval_id=filed["request_id"], invoice_id=first["id"]
        )
        assert done["status"] == "executed" and "by its request id" in done["message"], done
        write_faults(state, [])
        again = await call(
            s, "send_payment_reminder", dry_run=False, approval_id=filed["request_id"], invoice_id=first["id"]
        )
        assert again["status"] == "replayed"
        paid_later = await call(s, "send_payment_reminder", dry_run=False, invoice_id=second["id"])
        path = vault.root / paid_later["request_path"]
        shutil.move(path, vault.folder("Approved") / path.name)
        await call(s, "register_payment", dry_run=False, invoice_id=second["id"])  # filed, not run
    with (vault.root / ".ai_employee" / "sandbox" / "odoo.json").open() as fh:
        import json

        data = json.load(fh)
    data["models"]["account.move"][str(second["id"])]["amount_residual"] = 0.0  # paid meanwhile (in Odoo)
    data["models"]["account.move"][str(second["id"])]["payment_state"] = "paid"
    state.write_text(json.dumps(data))
    async with odoo_server(vault) as s:
        refused = await s.call_tool(
            "send_payment_reminder",
            {"invoice_id": second["id"], "dry_run": False, "approval_id": paid_later["request_id"]},
        )
        assert refused.is_error and "already paid" in refused.content[0].text  # type: ignore[union-attr]
    assert len(_reminders(vault, filed["request_id"])) == 1 and _reminders(vault, paid_later["request_id"]) == []
