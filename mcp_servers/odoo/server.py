"""Wiring of the Odoo service: settings, the client factory (sandbox: the emulator over the vault's
state, reached over HTTP by the same client), and the tools with their annotations."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.service import ReadTool, ServiceDefinition
from mcp_servers.core.vault import Vault
from mcp_servers.odoo import tools, tools_payment, tools_reminder, tools_reports, tools_write
from mcp_servers.odoo.const import SANDBOX_DB, SANDBOX_LOGIN, SANDBOX_STATE_FILE, SERVICE
from mcp_servers.odoo.settings import OdooSettings

INSTRUCTIONS = (
    "Odoo accounting for the owner's company: partners, products, invoices and bills, payments, revenue and "
    "receivables ageing. Reads answer at once. Writes (create_partner, create_invoice, post_invoice, "
    "register_payment) preview with dry_run=true first and then file a request the owner approves; nothing "
    "changes in Odoo before that. Posted entries are never modified. Amounts are in the company currency."
)


def make_client(settings: OdooSettings, vault: Vault) -> Any:
    """The client; in sandbox mode it first starts the emulator over vault/.ai_employee/sandbox/odoo.json."""
    from mcp_servers.odoo.client import Connection, OdooClient

    if settings.mode == "sandbox":
        from mcp_servers.core.sandbox import sandbox_dir
        from mcp_servers.odoo.sandbox import OdooEmulator

        emulator = OdooEmulator(sandbox_dir(vault.root) / SANDBOX_STATE_FILE, settings.version)
        server = emulator.start()
        conn = Connection(
            url=server.url,
            db=SANDBOX_DB,
            login=SANDBOX_LOGIN,
            secret=emulator.api_key,
            protocol=settings.protocol,
            timeout=settings.timeout,
            write_budget=settings.write_timeout,
        )
        client = OdooClient(conn)
        client.cache["emulator"] = emulator
        return client
    key = settings.api_key.get_secret_value() if settings.api_key else ""
    secret = key or (settings.password.get_secret_value() if settings.password else "")
    return OdooClient(
        Connection(
            url=settings.url,
            db=settings.db,
            login=settings.username,
            secret=secret,
            protocol=settings.protocol,
            timeout=settings.timeout,
            write_budget=settings.write_timeout,
            secret_is_api_key=bool(key),
        )
    )


RENEW_KEY = (
    "Odoo API keys last at most 3 months: in Odoo open your avatar → Preferences (My Profile) → Account Security "
    "→ New API Key, then put it in ODOO_API_KEY and restart"
)


def login_check(settings: OdooSettings, timeout: float = 10.0) -> tuple[bool, str, str]:
    """`doctor`: log in and make one call, as the server will. (ok, what was found, what to change)."""
    from dataclasses import replace

    from mcp_servers.core.errors import ServiceError, Unavailable
    from mcp_servers.odoo.client_errors import LoginProblem

    try:
        client = make_client(settings, Vault("."))
        client.conn = replace(client.conn, timeout=min(timeout, settings.timeout))
        state = client.status()
        user = client.read("res.users", "context_get")  # JSON-2 checks the key and database only here
        uid = state["uid"] or (user.get("uid") if isinstance(user, dict) else None)
        rows = client.read_ids("res.users", [int(uid)], ["login"]) if uid else []
    except LoginProblem as exc:
        fix = f"change {exc.setting} in .env"
        if exc.setting == "ODOO_API_KEY":
            fix = RENEW_KEY
        elif "API_KEY" in exc.setting:
            fix = f"check ODOO_USERNAME (an email on Odoo Online); if it is right, the key is wrong. {RENEW_KEY}"
        return False, f"login failed ({exc.setting} is wrong): {exc.message}", fix
    except Unavailable as exc:
        return (
            False,
            f"ODOO_URL is wrong or Odoo is down: {exc.message}",
            "check ODOO_URL (e.g. https://mycompany.odoo.com)",
        )
    except ServiceError as exc:
        return False, f"Odoo answered but the login could not be checked: {exc.message}", "check ODOO_URL and ODOO_DB"
    login = rows[0]["login"] if rows else settings.username
    found = (
        f"logged in to Odoo {client.version_label} over {state['protocol']} on database {settings.db!r} as {login!r}"
    )
    if login != settings.username:
        return False, f"{found}, but ODOO_USERNAME is {settings.username!r}", "set ODOO_USERNAME to the key's user"
    return True, f"{found}. {RENEW_KEY}.", ""


READS = (
    ReadTool(tools.get_status, "Odoo connection status"),
    ReadTool(tools.find_partners, "Find customers and vendors"),
    ReadTool(tools.find_products, "Find products"),
    ReadTool(tools.list_invoices, "List invoices or bills"),
    ReadTool(tools.get_invoice, "Get one invoice with lines and payments"),
    ReadTool(tools_reports.revenue_summary, "Revenue by period"),
    ReadTool(tools_reports.receivables_aging, "Receivables or payables ageing"),
    ReadTool(tools.search_records, "Search business records"),
)
WRITES = (
    tools_write.CREATE_PARTNER,
    tools_write.CREATE_INVOICE,
    tools_write.POST_INVOICE,
    tools_payment.REGISTER_PAYMENT,
    tools_reminder.SEND_PAYMENT_REMINDER,  # issue 16
)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag="odoo",
    instructions=INSTRUCTIONS,
    settings_cls=OdooSettings,
    make_client=make_client,
    reads=READS,
    writes=WRITES,
    login_check=login_check,
)
