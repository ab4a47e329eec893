"""The resilience suite's shared parts: signed requests for the real services, what each emulator really
holds, the figures of a scenario (attempts, survived, lost, duplicated) and the orchestrator's children."""

from __future__ import annotations

import json
import os
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, Vault
from tests.orchestrator import procs
from tests.orchestrator.conftest import md_files

SERVERS = ("odoo", "facebook", "twitter")
# Client-side caps high enough for a burst (the emulators keep their own limits: X allows 100 posts / 15 min).
BURST_ENV = {"TWITTER_POST_LIMIT": "100000", "FACEBOOK_RATE_LIMIT_PER_HOUR": "100000", "ODOO_TIMEOUT": "2"}
X_POSTS_PER_VAULT = 90
FIGURES: dict[str, dict[str, Any]] = {}  # scenario -> figures, printed and written at the end of the session
VAULTS: list[Path] = []  # every vault the suite used, for the secrets scan
CANARIES: dict[str, str] = {}  # environment name -> a secret value planted for the secrets scan


def canary_env() -> dict[str, str]:
    """Credentials a careless log line would leak: set for every service (sandbox mode ignores most)."""
    if not CANARIES:
        for name in ("FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_APP_SECRET", "INSTAGRAM_ACCESS_TOKEN"):
            CANARIES[name] = "EAAB" + secrets.token_hex(20)
        for name in ("TWITTER_API_KEY", "TWITTER_API_SECRET", "TWITTER_ACCESS_TOKEN", "TWITTER_ACCESS_TOKEN_SECRET"):
            CANARIES[name] = "tw" + secrets.token_hex(20)
        for name in ("TWITTER_BEARER_TOKEN", "ODOO_PASSWORD"):
            CANARIES[name] = "sk" + secrets.token_hex(20)
    return dict(CANARIES)


def orchestrator_env(tmp: Path, vault: Vault, servers: str = ",".join(SERVERS), **extra: str) -> dict[str, str]:
    VAULTS.append(vault.root)
    return procs.cli_env(tmp, vault, servers, **{**BURST_ENV, **canary_env(), **extra})


def _args(server: str, marker: str) -> tuple[str, str, dict[str, Any]]:
    model: BaseModel
    if server == "twitter":
        from mcp_servers.twitter.models import CreatePostArgs as XPost

        model, tool, kind = XPost(text=f"Resilience post {marker}"), "create_post", "social_media_post"
    elif server == "facebook":
        from mcp_servers.facebook.models import CreatePostArgs as FbPost

        model, tool, kind = FbPost(message=f"Resilience post {marker}"), "create_post", "social_media_post"
    elif server == "odoo":
        from mcp_servers.odoo.models import CreatePartnerArgs

        model, tool, kind = CreatePartnerArgs(name=f"Resilience {marker}"), "create_partner", "partner"
    else:
        raise ValueError(server)
    return tool, kind, model.model_dump(mode="json")


@dataclass
class Burst:
    """Requests filed for real services, and the unique marker each one writes into its service."""

    vault: Vault
    key: bytes
    ids: dict[str, str] = field(default_factory=dict)  # request id -> server
    markers: dict[str, str] = field(default_factory=dict)  # marker -> request id

    def file(self, server: str, folder: str = APPROVED) -> ar.ActionRequest:
        marker = f"rz{len(self.ids):04d}x{secrets.token_hex(4)}"
        tool, kind, args = _args(server, marker)
        request = ar.build_request(
            type=kind,
            tag=server[:2],
            calls=[ar.ToolCall(server=server, tool=tool, args=args)],
            summary=f"Resilience {server} {marker}",
            now=datetime.now(UTC),
            expiry=timedelta(days=7),
        )
        request = ar.sign(request, self.key)
        ar.write_new_request(self.vault, folder, request, f"# Resilience\n\n{marker}\n")
        self.ids[request.id] = server
        self.markers[marker] = request.id
        return request

    def file_many(self, count: int, rng: random.Random, servers: tuple[str, ...] = SERVERS) -> None:
        for _ in range(count):
            # X's emulator allows 100 posts per 15 min, as X does: stay under it so a refusal means a fault
            full = sum(s == "twitter" for s in self.ids.values()) >= X_POSTS_PER_VAULT
            self.file(rng.choice([s for s in servers if not (full and s == "twitter")]))

    def applied(self) -> Counter[str]:
        """How many times each request's write really landed, read from the emulators' own state."""
        found: Counter[str] = Counter()
        texts = []
        sandbox = self.vault.state_dir / "sandbox"
        for name, pick in (("twitter", "text"), ("facebook", "message")):
            path = sandbox / f"{name}.json"
            if path.exists():
                texts += [str(p.get(pick) or "") for p in json.loads(path.read_text())["posts"]]
        odoo = sandbox / "odoo.json"
        if odoo.exists():
            partners = json.loads(odoo.read_text())["models"].get("res.partner", {})
            texts += [str(p.get("name") or "") for p in partners.values()]
        for text in texts:
            marker = text.rsplit(" ", 1)[-1]
            if marker in self.markers:
                found[self.markers[marker]] += 1
        return found


def front_matter(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text().split("---\n")[1]))


def fake_applied(vault: Vault) -> Counter[str]:
    """Writes of the test service (tests/core/fake_service), by request id."""
    path = vault.state_dir / "sandbox" / "fake.json"
    return Counter(n["ref"] for n in json.loads(path.read_text())["notes"]) if path.exists() else Counter()


def figures(burst: Burst, **extra: Any) -> dict[str, Any]:
    return figures_of(burst.vault, list(burst.ids), burst.applied(), **extra)


def figures_of(vault: Vault, ids: list[str], applied: Counter[str], **extra: Any) -> dict[str, Any]:
    """attempts / survived / lost / duplicated (executed twice) / executed without approval, and how each
    request ended.

    survived: one Done/ file that tells the truth (succeeded and written once; failed and not written;
    ambiguous with a Needs_Action/ note). lost: no Done/ file, or a Done/ file that says otherwise than the
    service (a success never written, a failure that was written). duplicated: writes beyond the first.
    executed without approval: writes carrying no filed request's id."""
    done: dict[str, list[dict[str, Any]]] = {}
    for path in md_files(vault, DONE):
        data = front_matter(path)
        done.setdefault(str(data["id"]), []).append(data)
    notes = {p.name for p in md_files(vault, NEEDS_ACTION)}
    statuses: Counter[str] = Counter()
    survived = lost = 0
    untruthful: list[str] = []
    for request_id in ids:
        files = done.get(request_id, [])
        status = str(files[0]["status"]) if len(files) == 1 else "missing"
        statuses[status] += 1
        writes = applied.get(request_id, 0)
        noted = any(n.endswith(f"_{request_id.rsplit('-', 1)[-1]}.md") for n in notes)
        truthful = (
            (status == "succeeded" and writes == 1)
            or (status == "failed" and writes == 0 and noted)
            or (status == "ambiguous" and writes <= 1 and noted)
        )
        if truthful:
            survived += 1
        else:
            lost += 1
            untruthful.append(f"{request_id}: {status}, written {writes}x, note {noted}")
    duplicated = sum(n - 1 for i, n in applied.items() if n > 1 and i in ids)
    unapproved = sum(n for i, n in applied.items() if i not in ids)  # writes no filed request asked for
    return {
        "attempts": len(ids),
        "survived": survived,
        "lost": lost,
        "duplicated": duplicated,
        "executed_without_approval": unapproved,
        "statuses": dict(statuses),
        "left_in_approved": len(md_files(vault, APPROVED)),
        "untruthful": untruthful[:10],
        **extra,
    }


def record(name: str, data: dict[str, Any]) -> dict[str, Any]:
    FIGURES[name] = data
    return data


def kill9(pid: int) -> None:
    os.kill(pid, 9)
