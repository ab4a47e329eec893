"""The X API v2 emulator (sandbox mode): `emulator` holds the state and the answers, `transport` serves it at the
requests transport level or on a port, `seed` makes the demo account's history, `media` the upload endpoints and
`mentions` the seeded conversations the social inbox reads. Modules import only downwards (seed ← media,
mentions ← emulator ← transport)."""

from mcp_servers.twitter.sandbox.emulator import (
    PROBLEMS,
    TimeoutAfterSend,
    XEmulator,
    inject_fault,
    open_state,
    state_path,
)

__all__ = ["PROBLEMS", "TimeoutAfterSend", "XEmulator", "inject_fault", "open_state", "state_path"]
