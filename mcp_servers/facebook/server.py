"""Wiring of the Facebook tools into the MCP server (annotations come from the core: reads are
read-only and idempotent, writes go through the approval gate)."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.server import ServiceApp
from mcp_servers.core.service import ServiceDefinition
from mcp_servers.facebook import tools
from mcp_servers.facebook.client import make_client
from mcp_servers.facebook.const import SERVICE, TAG
from mcp_servers.facebook.settings import FacebookSettings

INSTRUCTIONS = (
    "Facebook Page tools. Reads answer directly. create_post, reply_to_comment and delete_post preview by "
    "default (dry_run=true); with dry_run=false they file a request the owner approves in the vault. Every "
    "result says SANDBOX or LIVE. Rate limits are reported as 'retry after N s'; never loop on them."
)


def build(app: ServiceApp[Any]) -> None:
    app.read(tools.get_page, title="Get the Facebook Page")
    app.read(tools.list_posts, title="List recent Page posts")
    app.read(tools.list_comments, title="List comments on a post")
    app.read(tools.page_insights, title="Page insights (current metrics)")
    app.write(tools.CREATE_POST)
    app.write(tools.REPLY_TO_COMMENT)
    app.write(tools.DELETE_POST)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag=TAG,
    instructions=INSTRUCTIONS,
    settings_cls=FacebookSettings,
    make_client=make_client,
    build=build,
)
