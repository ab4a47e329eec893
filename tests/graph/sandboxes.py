"""Facebook and Instagram clients wired to their emulators in-process (the code a live run uses above
the transport), for tool-level tests."""

from __future__ import annotations

from datetime import UTC, datetime

from mcp_servers.core.sandbox import SharedState
from mcp_servers.core.vault import Vault
from mcp_servers.facebook.client import FacebookClient
from mcp_servers.facebook.client import make_client as make_facebook
from mcp_servers.facebook.sandbox import state_for as facebook_state
from mcp_servers.facebook.settings import FacebookSettings
from mcp_servers.instagram.client import InstagramClient
from mcp_servers.instagram.client import make_client as make_instagram
from mcp_servers.instagram.sandbox import state_for as instagram_state
from mcp_servers.instagram.settings import InstagramSettings


def _utcnow() -> datetime:
    return datetime.now(UTC)


def facebook(vault: Vault) -> tuple[FacebookClient, SharedState]:
    return make_facebook(FacebookSettings(mode="sandbox"), vault), facebook_state(vault.root, _utcnow)


def instagram(vault: Vault) -> tuple[InstagramClient, SharedState]:
    return make_instagram(InstagramSettings(mode="sandbox"), vault), instagram_state(vault.root, _utcnow)
