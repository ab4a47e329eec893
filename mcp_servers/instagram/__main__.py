"""`python -m mcp_servers.instagram [--vault PATH] [--transport stdio|http]`: the Instagram MCP server."""

from mcp_servers.core.server import main
from mcp_servers.instagram.client import InstagramSettings, make_client
from mcp_servers.instagram.const import SERVICE, TAG
from mcp_servers.instagram.server import INSTRUCTIONS, build

if __name__ == "__main__":
    main(
        SERVICE,
        settings_cls=InstagramSettings,
        client_factory=make_client,
        build=build,
        instructions=INSTRUCTIONS,
        tag=TAG,
    )
