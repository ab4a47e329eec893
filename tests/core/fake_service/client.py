"""The fake service's 'remote API': notes kept in a JSON file, counting every real write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp_servers.core.errors import Ambiguous, Conflict, Unavailable
from mcp_servers.core.vault import Vault, atomic_write, file_lock


class FakeClient:
    def __init__(self, vault: Vault, token: str = "") -> None:
        self.path = vault.state_dir / "sandbox" / "fake.json"
        self.token = token  # echoed back by the "echo:" notes, as a careless API echoes the request
        self.fail_next: str | None = None  # "unavailable" | "ambiguous" | "ambiguous_after_write" | "conflict"
        self.resolved_from: list[object] = []  # the `now` each resolve() was given

    def _load(self) -> dict[str, Any]:
        return json.loads(self.path.read_text()) if self.path.exists() else {"notes": [], "writes": 0}

    def notes(self) -> list[dict[str, Any]]:
        if self.fail_next == "unavailable":
            raise Unavailable("fake is down")
        return list(self._load()["notes"])

    def add_note(self, text: str, ref: str) -> dict[str, Any]:
        fault, self.fail_next = self.fail_next, None
        if fault == "ambiguous":
            raise Ambiguous("the connection dropped before an answer")
        if fault == "conflict":
            raise Conflict("the service refused the note", details={"done_parts": [1, 2]})
        if text.startswith("echo:"):
            raise Conflict(f"rejected POST /notes?access_token={self.token}", details={"sent": {"token": self.token}})
        with file_lock(Path(str(self.path) + ".lock")):
            data = self._load()
            note = {"id": len(data["notes"]) + 1, "text": text, "ref": ref}
            data["notes"].append(note)
            data["writes"] += 1
            atomic_write(self.path, json.dumps(data))
        if fault == "ambiguous_after_write":
            raise Ambiguous("timed out after the note was saved")
        return note

    def writes(self) -> int:
        return int(self._load()["writes"])
