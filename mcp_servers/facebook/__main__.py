"""`python -m mcp_servers.facebook [--vault PATH] [--transport stdio|http]`: the Facebook MCP server."""

from mcp_servers.core.service import main
from mcp_servers.facebook.server import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
