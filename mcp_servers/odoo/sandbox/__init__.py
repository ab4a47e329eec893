"""The Odoo emulator: Odoo 17/18/19 at the protocol level (XML-RPC, and JSON-2 on 19) for the sandbox and tests.

Its modules depend one way only, from the generic parts up (an import-linter contract in pyproject.toml):
`schema`, `errors`, `method` → `fields`, `mail` → `catalog`, `domain`, `defaults` → `orm` (which calls the business
rules through the `Rules` it is given) → `accounting`, `journal_items`, `payments`, `partner` → `registry` (the
`Rules`) → `group`, `rpc`, `seed` → `emulator` (the HTTP server; `python -m mcp_servers.odoo.sandbox`).
"""

from mcp_servers.odoo.sandbox.emulator import OdooEmulator, write_faults

__all__ = ["OdooEmulator", "write_faults"]
