"""Wiring of the Instagram tools into the MCP server (reads read-only; writes through the gate)."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.server import ServiceApp
from mcp_servers.core.service import ServiceDefinition
from mcp_servers.instagram import tools
from mcp_servers.instagram.client import make_client
from mcp_servers.instagram.const import SERVICE, TAG
from mcp_servers.instagram.settings import InstagramSettings

INSTRUCTIONS = (
    "Instagram tools for one professional account. Reads answer directly. create_post and reply_to_comment "
    "preview by default (dry_run=true); with dry_run=false they file a request the owner approves in the vault. "
    "Images must be public https JPEG URLs. Every result says SANDBOX or LIVE."
)


def build(app: ServiceApp[Any]) -> None:
    app.read(tools.get_account, title="Get the Instagram account")
    app.read(tools.publishing_quota, title="Publishing quota (live)")
    app.read(tools.list_media, title="List recent Instagram posts")
    app.read(tools.list_comments, title="List comments on a post")
    app.read(tools.account_insights, title="Account insights (current metrics)")
    app.write(tools.CREATE_POST)
    app.write(tools.REPLY_TO_COMMENT)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag=TAG,
    instructions=INSTRUCTIONS,
    settings_cls=InstagramSettings,
    make_client=make_client,
    build=build,
)
