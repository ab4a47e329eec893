"""Prints the requests waiting in Pending_Approval/, oldest first, with their signature checked."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def is_request(path: Path) -> bool:
    """A request file starts with front matter; the folder's README and notes kept there are not requests."""
    if path.name.lower() == "readme.md":
        return False
    with path.open("rb") as handle:
        return handle.read(3) == b"---"


def main() -> int:
    from mcp_servers.core import action_request as ar
    from mcp_servers.core.settings import CoreSettings, resolve_vault
    from mcp_servers.core.untrusted import terminal
    from mcp_servers.core.vault import PENDING, Vault

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    parser.add_argument("--json", action="store_true", help="one JSON object per request")
    args = parser.parse_args()
    vault = Vault(resolve_vault(args.vault))
    try:
        key: bytes | None = CoreSettings().signing_key()
    except Exception:
        key = None
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for path in filter(is_request, sorted(vault.folder(PENDING).glob("*.md"))):
        try:
            request = ar.read_request_file(vault, path).request
        except ar.RequestFileError as exc:
            rows.append({"file": path.name, "error": exc.message})
            continue
        signature = "unchecked"
        if key is not None:
            try:
                ar.verify(request, key)
                signature = "valid"
            except ar.RequestFileError as exc:
                signature = f"INVALID ({exc.reason})"
        rows.append(
            {
                "file": f"{PENDING}/{path.name}",
                "type": request.type,
                "summary": request.summary,
                "services": request.platforms,
                "calls": [f"{c.server}.{c.tool}" for c in request.calls],
                "amount": request.amount,
                "scheduled_for": request.scheduled_for.isoformat() if request.scheduled_for else None,
                "age_hours": round((now - request.timestamp).total_seconds() / 3600, 1),
                "expires_in_hours": round((request.expires - now).total_seconds() / 3600, 1),
                "signature": signature,
            }
        )
    rows.sort(key=lambda r: -float(r.get("age_hours") or 0))
    if args.json:
        for row in rows:
            print(json.dumps(row))  # ASCII JSON: no raw control or bidi character reaches the terminal
    elif not rows:
        print(f"Nothing is waiting in {vault.root / PENDING}.")
    for row in [] if args.json else rows:
        if "error" in row:
            print(f"- {terminal(row['file'])}: unreadable ({terminal(row['error'])})")
            continue
        amount = f" · amount {row['amount']:,.2f}" if row["amount"] is not None else ""
        when = f" · scheduled {row['scheduled_for']}" if row["scheduled_for"] else ""
        print(
            f"- {terminal(row['file'])}\n  {terminal(row['summary'])}\n  {', '.join(row['calls'])}{amount}{when} · "
            f"waiting {row['age_hours']} h · expires in {row['expires_in_hours']} h · signature "
            f"{terminal(row['signature'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
