"""`python -m mcp_servers.twitter [--vault PATH] [--transport stdio|http]`: the X (Twitter) MCP server."""

from mcp_servers.core.service import main
from mcp_servers.twitter.server import DEFINITION

if __name__ == "__main__":
    main(DEFINITION)
