"""Wiring of the Facebook tools into the MCP server (annotations come from the core: reads are
read-only and idempotent, writes go through the approval gate)."""

from __future__ import annotations

from mcp_servers.core.service import ReadTool, ServiceDefinition
from mcp_servers.facebook import tools
from mcp_servers.facebook.client import make_client
from mcp_servers.facebook.const import SERVICE, TAG
from mcp_servers.facebook.settings import FacebookSettings

INSTRUCTIONS = (
    "Facebook Page tools. Reads answer directly. create_post, reply_to_comment and delete_post preview by "
    "default (dry_run=true); with dry_run=false they file a request the owner approves in the vault. Every "
    "result says SANDBOX or LIVE. Rate limits are reported as 'retry after N s'; never loop on them."
)


READS = (
    ReadTool(tools.get_page, "Get the Facebook Page"),
    ReadTool(tools.list_posts, "List recent Page posts"),
    ReadTool(tools.list_comments, "List comments on a post"),
    ReadTool(tools.page_insights, "Page insights (current metrics)"),
)
WRITES = (tools.CREATE_POST, tools.REPLY_TO_COMMENT, tools.DELETE_POST)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag=TAG,
    instructions=INSTRUCTIONS,
    settings_cls=FacebookSettings,
    make_client=make_client,
    reads=READS,
    writes=WRITES,
)
