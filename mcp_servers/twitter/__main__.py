"""`python -m mcp_servers.twitter [--vault PATH] [--transport stdio|http]`: the X MCP server."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.server import ServiceApp, main
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.const import SERVICE
from mcp_servers.twitter.settings import TwitterSettings


def _client(settings: Any, vault: Vault) -> Any:
    from mcp_servers.twitter.server import make_service

    return make_service(settings, vault)


def _build(app: ServiceApp[Any]) -> None:
    from mcp_servers.twitter.server import build

    build(app)


def _instructions() -> str:
    from mcp_servers.twitter.server import INSTRUCTIONS

    return INSTRUCTIONS


if __name__ == "__main__":
    main(
        SERVICE,
        settings_cls=TwitterSettings,
        client_factory=_client,
        build=_build,
        instructions=_instructions(),
        tag="x",
    )
