"""`python -m mcp_servers.odoo [--vault DIR] [--transport stdio|http]`: the Odoo MCP server."""

from __future__ import annotations

from mcp_servers.core.server import main
from mcp_servers.odoo.const import SERVICE
from mcp_servers.odoo.server import INSTRUCTIONS, OdooSettings, build, make_client


def _run() -> None:
    main(
        SERVICE,
        settings_cls=OdooSettings,
        client_factory=make_client,
        build=build,
        instructions=INSTRUCTIONS,
        tag="odoo",
    )


if __name__ == "__main__":
    _run()
