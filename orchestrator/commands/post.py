"""`ai-employee post "text" --platforms facebook,instagram,twitter [--image URL] [--at TIME] [--dry-run]`:
every platform previews the post, then ONE request with one call per platform is filed for approval."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from mcp_servers.core.errors import InvalidInput


def register(sub: Any) -> None:
    p = sub.add_parser(
        "post",
        help="preview a social post on every platform and file one request for approval",
        description="Validates the post with each platform's own rules (nothing is sent), then files ONE "
        "request in Pending_Approval/ (a scheduled post may be auto-approved by the policy). Move the file to "
        "Approved/ to publish it.",
    )
    p.add_argument("text", help="the post text (quote it)")
    p.add_argument("--platforms", required=True, help="comma-separated: facebook,instagram,twitter (or x)")
    p.add_argument("--image", metavar="URL", help="public https URL of a JPEG (needed for Instagram)")
    p.add_argument("--at", metavar="TIME", help="publish at this time, e.g. 2026-12-01T09:30 (local) or with +01:00")
    p.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="PLATFORM=TEXT",
        help="a different text for one platform, e.g. twitter='Short version' (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="show the previews only; file nothing")
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    p.set_defaults(handler=run)


def parse_time(value: str, zone: str = "") -> datetime:
    """ISO 8601; a time without an offset is read in TIMEZONE (else this machine's zone)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a date and time like 2026-12-01T09:30 or 2026-12-01T09:30+01:00", field="--at"
        ) from None
    if moment.tzinfo is not None:
        return moment
    if zone:
        from zoneinfo import ZoneInfo

        return moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone()


def _variants(items: list[str]) -> dict[str, str]:
    from skills.crosspost import parse_platforms

    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep:
            raise InvalidInput(f"{item!r} must look like twitter='text'", field="--variant")
        out[parse_platforms(name)[0]] = text
    return out


def _show(preview: Any) -> None:
    if not preview.ok:
        print(f"\n✘ {preview.platform} [{preview.mode}]: {preview.error}")
        return
    p = preview.preview
    print(f"\n✔ {preview.platform} [{preview.mode}]: {p.summary}")
    if p.details:
        print("  " + p.details.replace("\n", "\n  "))
    for warning in p.warnings:
        print(f"  ! {warning}")
    for label, value in (("cost", p.cost), ("quota", p.rate_limit)):
        if value:
            print(f"  {label}: {value}")


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.errors import ServiceError
    from mcp_servers.core.settings import CoreSettings, resolve_vault
    from mcp_servers.core.vault import Vault
    from skills.crosspost import Draft, file_crosspost, parse_platforms, preview_all

    try:
        core = CoreSettings()
        platforms = parse_platforms(args.platforms)
        at = parse_time(args.at, core.timezone) if args.at else None
        draft = Draft(args.text, image_url=args.image, scheduled_for=at, variants=_variants(args.variant))
        vault = Vault(resolve_vault(args.vault))
        vault.ensure_layout()
        previews = preview_all(draft, platforms, vault)
        for preview in previews:
            _show(preview)
        if not all(p.ok for p in previews):
            print("\nNothing filed: fix the post for the platforms marked ✘ (or leave them out).", file=sys.stderr)
            return 1
        if args.dry_run:
            print("\nDry run: nothing filed. Run again without --dry-run to file it for approval.")
            return 0
        from datetime import timedelta

        filed = file_crosspost(
            vault, previews, key=core.signing_key(), expiry=timedelta(hours=core.approval_expiry_hours)
        )
    except ServiceError as exc:
        print(f"ai-employee post: {exc.message}", file=sys.stderr)
        return 2
    if filed.requires_approval:
        print(f"\nFiled for approval: {vault.root / filed.path}")
        print("Nothing was posted. Move the file to Approved/ to publish it, or to Rejected/ to cancel.")
    else:
        print(f"\n{filed.reason}: {vault.root / filed.path}")
        print(f"The orchestrator publishes it at {filed.scheduled_for:%Y-%m-%d %H:%M} UTC (ai-employee run).")
    return 0
