"""Wiring of the X tools into the MCP server, and the client factory (sandbox or live)."""

from __future__ import annotations

from mcp_servers.core.service import ReadTool, ServiceDefinition
from mcp_servers.core.vault import Vault
from mcp_servers.twitter import tools
from mcp_servers.twitter.checks import XService
from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.const import SERVICE
from mcp_servers.twitter.settings import TwitterSettings

INSTRUCTIONS = (
    "X (Twitter) for the business account. Read tools answer directly. Write tools preview by default "
    "(dry_run=true) and only file a request for the owner's approval with dry_run=false; nothing reaches X "
    "until the owner approves. X charges per post ($0.015, $0.20 with a URL): the preview shows the cost. "
    "Results say SANDBOX when the built-in emulator is used instead of the real account."
)
SANDBOX_CREDENTIALS = ("sandbox-api-key", "sandbox-api-secret", "sandbox-access-token", "sandbox-token-secret")


def make_service(settings: TwitterSettings, vault: Vault) -> XService:
    """The tools' bundle; in sandbox mode the same tweepy client talks to the in-process emulator."""
    if settings.mode == "sandbox":
        from mcp_servers.twitter.sandbox import XEmulator, open_state
        from mcp_servers.twitter.sandbox.transport import make_adapter

        key, secret, token, token_secret = SANDBOX_CREDENTIALS
        adapter = make_adapter(XEmulator(open_state(vault.root)))
    else:
        key, secret, token, token_secret = (
            settings.secret(n) for n in ("api_key", "api_secret", "access_token", "access_token_secret")
        )
        adapter = None
    api = TwitterClient(
        api_key=key,
        api_secret=secret,
        access_token=token,
        access_token_secret=token_secret,
        api_host=settings.api_host,
        timeout_s=settings.timeout_s,
        adapter=adapter,
    )
    return XService(api=api, settings=settings, vault=vault)


READS = (
    ReadTool(tools.get_me, "Show the X account"),
    ReadTool(tools.list_posts, "List recent X posts with metrics"),
)
WRITES = (tools.CREATE_POST, tools.CREATE_THREAD, tools.DELETE_POST)


DEFINITION = ServiceDefinition(
    name=SERVICE,
    tag="x",
    instructions=INSTRUCTIONS,
    settings_cls=TwitterSettings,
    make_client=make_service,
    reads=READS,
    writes=WRITES,
)
