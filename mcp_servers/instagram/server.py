"""Wiring of the Instagram tools into the MCP server (reads read-only; writes through the gate)."""

from __future__ import annotations

from mcp_servers.core.service import ReadTool, ServiceDefinition
from mcp_servers.instagram import tools
from mcp_servers.instagram.client import make_client
from mcp_servers.instagram.const import SERVICE, TAG
from mcp_servers.instagram.settings import InstagramSettings

INSTRUCTIONS = (
    "Instagram tools for one professional account. Reads answer directly. create_post and reply_to_comment "
    "preview by default (dry_run=true); with dry_run=false they file a request the owner approves in the vault. "
    "Images must be public https JPEG URLs. Every result says SANDBOX or LIVE."
)


READS = (
    ReadTool(tools.get_account, "Get the Instagram account"),
    ReadTool(tools.publishing_quota, "Publishing quota (live)"),
    ReadTool(tools.list_media, "List recent Instagram posts"),
    ReadTool(tools.list_comments, "List comments on a post"),
    ReadTool(tools.account_insights, "Account insights (current metrics)"),
)
WRITES = (tools.CREATE_POST, tools.REPLY_TO_COMMENT)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag=TAG,
    instructions=INSTRUCTIONS,
    settings_cls=InstagramSettings,
    make_client=make_client,
    reads=READS,
    writes=WRITES,
)
