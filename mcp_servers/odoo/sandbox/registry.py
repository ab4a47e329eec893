"""Which emulator functions answer which model operations and business methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp_servers.odoo.sandbox.accounting import (
    button_cancel,
    button_draft,
    create_lines,
    create_moves,
    unlink_moves,
    write_lines,
    write_moves,
)
from mcp_servers.odoo.sandbox.journal_items import post_with_terms, term_residual
from mcp_servers.odoo.sandbox.orm import Rules
from mcp_servers.odoo.sandbox.partner import create_partners
from mcp_servers.odoo.sandbox.payments import action_create_payments, create_wizard, defaults, payment_post

HOOKS: dict[tuple[str, str], Callable[..., Any]] = {
    ("account.move", "create"): create_moves,
    ("account.move", "write"): write_moves,
    ("account.move", "unlink"): unlink_moves,
    ("account.move.line", "create"): create_lines,
    ("account.move.line", "write"): write_lines,
    ("account.payment.register", "create"): create_wizard,
    ("res.partner", "create"): create_partners,
}
METHODS: dict[tuple[str, str], Callable[..., Any]] = {
    ("account.move", "action_post"): post_with_terms,
    ("account.move", "button_draft"): button_draft,
    ("account.move", "button_cancel"): button_cancel,
    ("account.payment", "action_post"): payment_post,
    ("account.payment.register", "action_create_payments"): action_create_payments,
}
RULES = Rules(hooks=HOOKS, defaults=defaults, residual=term_residual)
