"""`python -m mcp_servers.odoo [--vault PATH] [--transport stdio|http]`: the Odoo MCP server."""

from mcp_servers.core.service import main
from mcp_servers.odoo.server import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
