"""Bad files beyond tests/orchestrator/badfiles: validly signed requests the server must refuse (a tool it
does not have, arguments of the wrong type), a request just over the size limit, and odd names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, Vault
from tests.orchestrator import badfiles

SIGNED_BUT_REFUSED = ("unknown_tool", "wrong_arg_types")


def _signed(vault: Vault, key: bytes, n: int, tool: str, args: dict[str, object]) -> Path:
    request = ar.build_request(
        type="payment",
        tag="fk",
        calls=[ar.ToolCall(server="fake", tool=tool, args=args)],
        summary=f"bad {n}",
        now=datetime.now(UTC),
        expiry=timedelta(days=7),
    )
    return ar.write_new_request(vault, APPROVED, ar.sign(request, key), f"# bad {n}\n")


def unknown_tool(vault: Vault, key: bytes, n: int) -> Path:
    return _signed(vault, key, n, "drop_tables", {"text": f"bad {n}"})


def wrong_arg_types(vault: Vault, key: bytes, n: int) -> Path:
    return _signed(vault, key, n, "add_note", {"text": {"nested": [n]}, "scheduled_for": "not a date"})


def oversize(vault: Vault, key: bytes, n: int) -> Path:
    request, text = badfiles._signed_text(vault, key, n)
    padding = "x" * (ar.MAX_REQUEST_BYTES + 1 - len(text))
    return badfiles._write(vault, request.file_name, text + padding)


def dots_name(vault: Vault, key: bytes, n: int) -> Path:
    return badfiles._write(vault, f"..{n}..md", "---\nid: ../../etc/passwd\n---\n")


KINDS: dict[str, Callable[[Vault, bytes, int], Path]] = {
    **badfiles.KINDS,
    **{f.__name__: f for f in (unknown_tool, wrong_arg_types, oversize, dots_name)},
}


def generate(vault: Vault, key: bytes, count: int) -> dict[str, list[Path]]:
    """`count` bad files cycling through every kind, by kind."""
    kinds = list(KINDS.items())
    made: dict[str, list[Path]] = {}
    for n in range(count):
        name, make = kinds[n % len(kinds)]
        made.setdefault(name, []).append(make(vault, key, n))
    return made
