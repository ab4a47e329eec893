"""Cross-posting: one draft validated by every chosen platform's own preview (in-process, no side
effect), then filed as ONE signed request holding one `create_post` call per platform, so the owner
makes one decision for the whole post.

The previews are the services' own (the write action `create_post` of each `ServiceDefinition`), run against the same
clients the servers use (sandbox emulators by default), so a post that files here is a post the
servers will accept when the orchestrator runs the approved request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from mcp_servers.core.actions import WriteAction
from mcp_servers.core.errors import ConfigError, InvalidInput, describe
from mcp_servers.core.models import Preview
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault

ACTION_TYPE = "social_media_post"
TAG = "post"


@dataclass(frozen=True)
class Draft:
    """What the owner wants posted. `variants` overrides the text per platform (e.g. a shorter X post)."""

    text: str
    image_url: str | None = None
    scheduled_for: datetime | None = None
    variants: Mapping[str, str] = field(default_factory=dict)

    def text_for(self, platform: str) -> str:
        return self.variants.get(platform, self.text)


@dataclass(frozen=True)
class Platform:
    """How a draft becomes one service's `create_post` arguments (the service itself is found through
    its `ServiceDefinition`)."""

    name: str
    to_args: Callable[[Draft], dict[str, Any]]
    image_supported: bool = True

    def post_action(self) -> WriteAction[Any, Any]:
        return load_service(self.name).write_action("create_post")


def _when(draft: Draft) -> dict[str, Any]:
    return {"scheduled_for": draft.scheduled_for} if draft.scheduled_for else {}


def _image(draft: Draft) -> dict[str, Any]:
    return {"image_url": draft.image_url} if draft.image_url else {}


PLATFORMS: dict[str, Platform] = {
    "facebook": Platform(
        "facebook",
        lambda d: {"message": d.text_for("facebook"), **_image(d), **_when(d)},
    ),
    "instagram": Platform(
        "instagram",
        lambda d: {"caption": d.text_for("instagram"), **_image(d), **_when(d)},
    ),
    "twitter": Platform(
        "twitter",
        lambda d: {"text": d.text_for("twitter"), **_image(d), **_when(d)},
    ),
}


@dataclass(frozen=True)
class PlatformPreview:
    """One platform's verdict on the draft: its exact `create_post` arguments and preview, or why not."""

    platform: str
    mode: str
    args: dict[str, Any] | None = None
    preview: Preview | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.preview is not None


def parse_platforms(value: str) -> list[str]:
    """`facebook,instagram,twitter` (x is accepted for twitter); refuses unknown names."""
    names = [("twitter" if p.strip().lower() == "x" else p.strip().lower()) for p in value.split(",") if p.strip()]
    unknown = [n for n in names if n not in PLATFORMS]
    if unknown or not names:
        raise InvalidInput(
            f"unknown platform(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(PLATFORMS)}",
            field="platforms",
        )
    return list(dict.fromkeys(names))


def _validation(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()[:3])


def _bound(args: BaseModel, preview: Preview) -> BaseModel:
    """The arguments with what the preview bound them to, where the service's arguments take it and the draft
    left it empty: X's `image_sha256`, the image as previewed now, so X refuses to post a file changed since."""
    binding = preview.binding or {}
    fill = {k: v for k, v in binding.items() if k in type(args).model_fields and getattr(args, k) is None}
    return type(args).model_validate({**args.model_dump(), **fill}) if fill else args


def preview_one(platform: Platform, draft: Draft, vault: Vault) -> PlatformPreview:
    """Run the service's own preview on the draft; nothing is sent and nothing is filed."""
    service = load_service(platform.name)
    try:
        settings = service.settings_cls()
        settings.check()
    except ConfigError as exc:
        return PlatformPreview(platform.name, "?", error=exc.message)
    except ValidationError as exc:
        return PlatformPreview(platform.name, "?", error=f"settings: {_validation(exc)}")
    mode = settings.mode_label
    action = platform.post_action()
    try:
        args: BaseModel = action.args(**platform.to_args(draft))
        client = service.make_client(settings, vault)
        preview: Preview = action.preview(client, args)
        args = _bound(args, preview)
    except ValidationError as exc:
        return PlatformPreview(platform.name, mode, error=_validation(exc))
    except Exception as exc:  # a service's own refusal (ServiceError) or a failure to reach it
        return PlatformPreview(platform.name, mode, error=describe(exc))
    if draft.image_url and not platform.image_supported:
        note = f"{platform.name}: the image is not attached (AI Employee posts text only here)."
        preview = preview.model_copy(update={"warnings": [*preview.warnings, note]})
    return PlatformPreview(platform.name, mode, args=args.model_dump(mode="json"), preview=preview)


def preview_all(draft: Draft, platforms: list[str], vault: Vault) -> list[PlatformPreview]:
    return [preview_one(PLATFORMS[name], draft, vault) for name in platforms]


@dataclass(frozen=True)
class Filed:
    request_id: str
    path: str
    requires_approval: bool
    reason: str | None
    scheduled_for: datetime | None


def file_crosspost(
    vault: Vault,
    previews: list[PlatformPreview],
    *,
    key: bytes,
    now: datetime | None = None,
    expiry: timedelta | None = None,
    actor: str = "cli:post",
) -> Filed:
    """File one request with one `create_post` call per platform; every preview must have passed. The
    approval expiry defaults to `APPROVAL_EXPIRY_HOURS`, the period the schedule window is bounded by."""
    from mcp_servers.core import action_request as ar
    from mcp_servers.core.audit_log import AuditLog
    from mcp_servers.core.filing import file_request
    from mcp_servers.core.policy import policy_from_settings
    from mcp_servers.core.schedule import approval_period

    failed = [p for p in previews if not p.ok]
    if failed or not previews:
        raise InvalidInput("not filed: " + "; ".join(f"{p.platform}: {p.error}" for p in failed))
    calls = [
        (ar.ToolCall(server=p.platform, tool="create_post", args=p.args or {}, mode=p.mode), p.preview)
        for p in previews
        if p.preview is not None
    ]
    first = previews[0].args or {}
    text = str(first.get("message") or first.get("caption") or first.get("text") or "")
    summary = f"Post to {', '.join(p.platform for p in previews)}: {text[:80]}" + ("…" if len(text) > 80 else "")
    request, path = file_request(
        vault,
        key=key,
        policy=policy_from_settings(),
        action_type=ACTION_TYPE,
        tag=TAG,
        calls=calls,
        now=now or datetime.now(UTC),
        expiry=expiry or approval_period(),  # the period the platforms' schedule window is bounded by
        summary=summary,
    )
    AuditLog(vault).append(
        "crosspost.file",
        actor=actor,
        parameters={"platforms": [p.platform for p in previews], "text": text},
        result={"status": "filed", "request": path},
        approval_status="pending" if request.requires_approval else "auto_approved",
        request_id=request.id,
        mode=",".join(sorted({p.mode for p in previews})),
    )
    return Filed(request.id, path, request.requires_approval, request.auto_approve_reason, request.scheduled_for)
