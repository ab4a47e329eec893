"""`python -m mcp_servers.facebook [--vault PATH] [--transport stdio|http]`: the Facebook MCP server."""

from mcp_servers.core.server import main
from mcp_servers.facebook.client import FacebookSettings, make_client
from mcp_servers.facebook.const import SERVICE, TAG
from mcp_servers.facebook.server import INSTRUCTIONS, build

if __name__ == "__main__":
    main(
        SERVICE,
        settings_cls=FacebookSettings,
        client_factory=make_client,
        build=build,
        instructions=INSTRUCTIONS,
        tag=TAG,
    )
