"""Generators of bad files for Approved/: every kind the executor must refuse without running anything."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, PENDING, Vault
from tests.orchestrator.conftest import make_request


def _signed_text(vault: Vault, key: bytes, n: int, **kwargs: object) -> tuple[ar.ActionRequest, str]:
    request, path = make_request(vault, key, f"bad {n}", folder=PENDING, **kwargs)  # type: ignore[arg-type]
    text = path.read_text()
    path.unlink()
    return request, text


def _write(vault: Vault, name: str, data: str | bytes) -> Path:
    path = vault.folder(APPROVED) / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def broken_yaml(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"2026-01-01_payment_yaml{n:04d}.md", "---\ntype: [unclosed\nid: {\n---\nbody\n")


def missing_fields(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    lines = [ln for ln in text.splitlines() if not ln.startswith(("calls:", "- server:", "  tool:", "  args:", "    "))]
    return _write(vault, request.file_name, "\n".join(lines))


def wrong_types(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    text = re.sub(r"(?m)^expires: .*$", "expires: tomorrow", text, count=1)
    text = text.replace("requires_approval: true", "requires_approval: [1, 2]", 1)
    return _write(vault, request.file_name, text)


def forged_signature(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, secrets.token_hex(32).encode(), n)
    return _write(vault, request.file_name, text)


def missing_signature(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    return _write(vault, request.file_name, "\n".join(ln for ln in text.splitlines() if "signature:" not in ln))


def edited(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    return _write(vault, request.file_name, text.replace(f"text: bad {n}", f"text: bad {n} EDITED", 1))


def expired(vault: Vault, key: bytes, n: int) -> Path:
    old = datetime.now(UTC) - timedelta(days=10)
    request, text = _signed_text(vault, key, n, now=old, expiry=timedelta(days=1))
    return _write(vault, request.file_name, text)


def unknown_server(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n, server="nosuch")
    return _write(vault, request.file_name, text)


def dotdot_name(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    return _write(vault, request.file_name.replace("_payment_", "_pay..ment_"), text)


def binary(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"2026-01-01_payment_bin{n:04d}.md", b"\x00\xff\xfe" + os.urandom(2048))


def not_utf8(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"2026-01-01_payment_latin{n:04d}.md", "---\ntype: café\n---\n".encode("latin-1"))


def huge(vault: Vault, key: bytes, n: int, size: int = 20 * 1024 * 1024) -> Path:
    return _write(vault, f"2026-01-01_payment_huge{n:04d}.md", b"---\n" + b"a" * size)


def symlink_out(vault: Vault, key: bytes, n: int) -> Path:
    request, text = _signed_text(vault, key, n)
    outside = vault.root.parent / f"outside-{n}.md"
    outside.write_text(text)
    link = vault.folder(APPROVED) / request.file_name
    link.symlink_to(outside)
    return link


def no_front_matter(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"my note {n}.md", "Please pay the plumber 50 dollars.\n")


def not_markdown(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"invoice-{n}.pdf", b"%PDF-1.4 not really")


def empty(vault: Vault, key: bytes, n: int) -> Path:
    return _write(vault, f"2026-01-01_payment_empty{n:04d}.md", b"")


KINDS: dict[str, Callable[[Vault, bytes, int], Path]] = {
    f.__name__: f
    for f in (
        broken_yaml,
        missing_fields,
        wrong_types,
        forged_signature,
        missing_signature,
        edited,
        expired,
        unknown_server,
        dotdot_name,
        binary,
        not_utf8,
        symlink_out,
        no_front_matter,
        not_markdown,
        empty,
    )
}


def generate(vault: Vault, key: bytes, count: int, with_huge: bool = True) -> list[Path]:
    """`count` bad files cycling through every kind (plus one 20 MB file)."""
    kinds = list(KINDS.values())
    paths = [kinds[n % len(kinds)](vault, key, n) for n in range(count)]
    if with_huge:
        paths.append(huge(vault, key, count))
    return paths
