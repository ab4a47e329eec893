"""`python -m mcp_servers.instagram [--vault PATH] [--transport stdio|http]`: the Instagram MCP server."""

from mcp_servers.core.service import main
from mcp_servers.instagram.server import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
