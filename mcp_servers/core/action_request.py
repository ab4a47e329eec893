"""Action requests: the signed Markdown files a human approves by moving them.

A request is YAML front matter (read by machines, shown by Obsidian as properties) plus a body for the
human. The signature is HMAC-SHA256 over the canonical JSON of every signed field; state added later
(`status`, results) lives outside the signed fields. Parsing never lets an exception escape: a bad
file gives `RequestFileError` with the reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
)

from mcp_servers.core.errors import ConfigError, InvalidInput
from mcp_servers.core.regular_file import IrregularFile, read_regular
from mcp_servers.core.vault import REQUEST_FOLDERS, Vault, create_exclusive

MAX_REQUEST_BYTES = 1_000_000
ID_PATTERN = r"^\d{8}-\d{6}-[a-z]{1,8}-[0-9a-f]{8}$"
SIGNATURE_PREFIX = "hmac-sha256:"
DIGEST_PREFIX = "sha256:"
ACTION_LINE = "**Action**: move this file to `Approved/` to run it, or to `Rejected/` (or delete it) to cancel."
AUTO_ACTION_LINE = (
    "**Action**: auto-approved by the policy, it runs at the time above; to cancel it before then, move this "
    "file from `Approved/` to `Rejected/` (or delete it)."
)
RESULT_HEADING, WHY_HEADING = "## Result of the run", "## Why this was not run"  # added by the orchestrator
LATER_SECTIONS = (RESULT_HEADING, WHY_HEADING)
WHY_CLOSING = "Nothing was sent. Ask AI Employee to file a new request if you still want this done."
# the one form of a "why" section (orchestrator/notes.py `why_section`): its reason is escaped by `md_inline`
_WHY_TAIL = re.compile(
    rf"{WHY_HEADING}\n\n> \[!failure\] [^\n<%]*\n\nRejected by (?:the orchestrator|the owner) at "
    rf"\d{{4}}-\d\d-\d\d \d\d:\d\d UTC\. {re.escape(WHY_CLOSING)}"
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class RequestFileError(InvalidInput):
    """A request file that cannot be trusted or read; `reason` says why, for the human."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ToolCall(BaseModel):
    """One tool call of a request, executed at most once by the server it names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    server: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    tool: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    args: dict[str, Any] = Field(default_factory=dict)
    expect: dict[str, str] | None = Field(
        default=None, description="The remote state the owner saw (the preview's binding); execution must find it"
    )
    mode: str | None = Field(default=None, description="SANDBOX or LIVE: the mode it was filed in, and runs in")

    @model_serializer(mode="wrap")
    def _without_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none(handler(self), "expect", "mode")


def _drop_none(data: Any, *names: str) -> Any:
    """Fields added later are left out when absent, so every file signed before them still verifies."""
    if isinstance(data, dict):
        for name in names:
            if data.get(name, 0) is None:
                del data[name]
    return data


class ActionRequest(BaseModel):
    """The signed part of a request file (field names follow the product brief)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    id: str = Field(pattern=ID_PATTERN)
    platforms: list[str] = Field(default_factory=list, max_length=16)
    summary: str = Field(max_length=500)
    timestamp: AwareDatetime
    expires: AwareDatetime
    scheduled_for: AwareDatetime | None = None
    requires_approval: bool = True
    auto_approve_reason: str | None = None
    amount: float | None = None
    calls: list[ToolCall] = Field(min_length=1, max_length=32)
    body_digest: str | None = Field(default=None, description="sha256 of the body as filed (see `body_digest`)")
    signature: str | None = None

    @model_serializer(mode="wrap")
    def _without_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none(handler(self), "body_digest")

    @field_validator("timestamp", "expires", "scheduled_for")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return value.astimezone(UTC).replace(microsecond=0) if value else value

    @field_validator("amount")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("amount must be a finite number")
        return value

    @property
    def short_id(self) -> str:
        return self.id.rsplit("-", 1)[-1]

    @property
    def file_name(self) -> str:
        return f"{self.timestamp:%Y-%m-%d}_{self.type}_{self.short_id}.md"

    def call_id(self, index: int) -> str:
        """The ledger key of call `index` (0-based): `<request id>#<n>`."""
        return f"{self.id}#{index}"

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires


def new_request_id(now: datetime, tag: str) -> str:
    return f"{now.astimezone(UTC):%Y%m%d-%H%M%S}-{tag}-{secrets.token_hex(4)}"


def build_request(
    *,
    type: str,  # noqa: A002 - the field name of the product brief's schema
    tag: str,
    calls: list[ToolCall],
    summary: str,
    now: datetime,
    expiry: timedelta,
    platforms: list[str] | None = None,
    scheduled_for: datetime | None = None,
    requires_approval: bool = True,
    auto_approve_reason: str | None = None,
    amount: float | None = None,
) -> ActionRequest:
    """An unsigned request. Expiry runs from `now`, or from the scheduled time if that is later."""
    start = max(now, scheduled_for) if scheduled_for else now
    return ActionRequest(
        type=type,
        id=new_request_id(now, tag),
        platforms=platforms or sorted({c.server for c in calls}),
        summary=summary[:497] + "…" if len(summary) > 500 else summary,
        timestamp=now,
        expires=start + expiry,
        scheduled_for=scheduled_for,
        requires_approval=requires_approval,
        auto_approve_reason=auto_approve_reason,
        amount=amount,
        calls=calls,
    )


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8, no NaN: the same bytes for the same data in every process."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _signed_payload(request: ActionRequest) -> bytes:
    return canonical_json(request.model_dump(mode="json", exclude={"signature"}))


def sign(request: ActionRequest, key: bytes) -> ActionRequest:
    digest = hmac.new(key, _signed_payload(request), hashlib.sha256).hexdigest()
    return request.model_copy(update={"signature": SIGNATURE_PREFIX + digest})


def verify(request: ActionRequest, key: bytes) -> None:
    """Raise `RequestFileError` unless the signature matches every signed field."""
    if not request.signature:
        raise RequestFileError("the request has no signature, so it was not filed by AI Employee")
    if not request.signature.startswith(SIGNATURE_PREFIX):
        raise RequestFileError(f"unknown signature scheme (expected {SIGNATURE_PREFIX}…)")
    try:
        expected = hmac.new(key, _signed_payload(request), hashlib.sha256).hexdigest()
    except (TypeError, ValueError) as exc:
        raise RequestFileError(f"the request holds data that cannot be signed ({exc})") from None
    if not hmac.compare_digest(SIGNATURE_PREFIX + expected, request.signature):
        raise RequestFileError(
            "the signature does not match: the request was edited after it was filed (or signed with "
            "another key). File a new request instead of editing this one."
        )


def args_equal(left: dict[str, Any], right: dict[str, Any]) -> bool:
    try:
        return canonical_json(left) == canonical_json(right)
    except (TypeError, ValueError):
        return False


# --- Markdown -----------------------------------------------------------------------------------


def footer(*, requires_approval: bool, scheduled_for: datetime | None) -> str:
    """The end of a pending request's body: how the owner approves it (or cancels an auto-approved one)."""
    return "---\n" + (AUTO_ACTION_LINE if not requires_approval and scheduled_for else ACTION_LINE)


def without_footer(body: str) -> str:
    """The body without its `footer` (true only while the request waits), as signed and as kept once it has run
    or been refused. Either line is removed, whatever the request's state: a file filed before keeps verifying."""
    text = body.rstrip()
    for line in (ACTION_LINE, AUTO_ACTION_LINE):
        if text.endswith(line):
            text = text[: -len(line)].rstrip()
            return text[:-3].rstrip() if text.endswith("---") else text
    return text


def _normalised_body(body: str) -> str:
    """The body as the owner reads it, independent of line endings, trailing spaces and the `footer` (which
    the orchestrator removes once the request has run)."""
    return without_footer("\n".join(line.rstrip() for line in body.replace("\r\n", "\n").split("\n")).strip("\n"))


def body_digest(body: str) -> str:
    """What `ActionRequest.body_digest` signs: the body as filed, normalised."""
    return DIGEST_PREFIX + hashlib.sha256(_normalised_body(body).encode()).hexdigest()


def _filed_parts(body: str, ran: bool) -> list[str]:
    """The body, and each part of it before a section the orchestrator may have added: a result only once a
    call of the request has run (`ran`), a rejection only in the very form the orchestrator writes. Any
    other text after the filed body (a forged "result" saying what the owner should believe) is a change."""
    text = body.replace("\r\n", "\n")
    parts = [text]
    for heading in LATER_SECTIONS:
        for match in re.finditer(rf"^{re.escape(heading)}[ \t]*$", text, re.MULTILINE):
            tail = "\n".join(line.rstrip() for line in text[match.start() :].split("\n")).strip("\n")
            if (heading == RESULT_HEADING and ran) or _WHY_TAIL.fullmatch(tail):
                parts.append(text[: match.start()])
    return parts


class ParsedRequest(BaseModel):
    """A request file as read: the signed request, the unsigned state fields, and the body."""

    request: ActionRequest
    state: dict[str, Any] = Field(default_factory=dict)
    body: str = ""


def check_body(parsed: ParsedRequest, *, ran: bool = False) -> None:
    """Raise `RequestFileError` if the body the owner reads is not the one filed with this signed request
    (requests filed before bodies were signed have no digest and pass). `ran`: a call of it has started."""
    expected = parsed.request.body_digest
    if expected is None:
        return
    if not any(hmac.compare_digest(body_digest(part), expected) for part in _filed_parts(parsed.body, ran)):
        raise RequestFileError(
            "the text of the request was changed after it was filed, so it may not describe what would run. "
            "File a new request instead of editing this one."
        )


STATE_FIELDS = ("status", "executed_at", "rejected_at", "rejected_reason", "result")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors/aliases: request files never need them, and alias bombs are refused."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError("YAML aliases are not allowed")
        return super().compose_node(parent, index)


class _Dumper(yaml.SafeDumper):
    """Double-quotes strings YAML would otherwise read back differently (line separators, controls)."""


_AWKWARD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _AWKWARD.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def render(request: ActionRequest, body: str, state: dict[str, Any] | None = None) -> str:
    front = request.model_dump(mode="json")
    signature = front.pop("signature")
    ordered = {**front, **(state or {}), "signature": signature}
    text = yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{text}---\n{body.rstrip()}\n"


def parse(data: bytes | str) -> ParsedRequest:
    """Parse a request file. Any problem is a `RequestFileError` with the reason; nothing else escapes."""
    try:
        return _parse(data)
    except RequestFileError:
        raise
    except Exception as exc:  # the contract: a bad file is a reason, never a crash
        raise RequestFileError(f"the file could not be read as a request ({type(exc).__name__})") from None


def _parse(data: bytes | str) -> ParsedRequest:
    if isinstance(data, bytes):
        if len(data) > MAX_REQUEST_BYTES:
            raise RequestFileError(f"the file is {len(data):,} bytes; requests are at most {MAX_REQUEST_BYTES:,}")
        if b"\x00" in data:
            raise RequestFileError("the file is binary, not a Markdown request")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestFileError("the file is not UTF-8 text") from None
    else:
        text = data
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise RequestFileError("no YAML front matter (the file must start with a '---' block)")
    try:
        front = yaml.load(match.group(1), Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where else ""
        raise RequestFileError(f"the front matter is not valid YAML{line}") from None
    if not isinstance(front, dict):
        raise RequestFileError("the front matter is not a mapping of fields")
    state = {key: front.pop(key) for key in STATE_FIELDS if key in front}
    try:
        request = ActionRequest.model_validate(front)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "front matter"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RequestFileError(f"{where}: {first['msg']}{more}") from None
    return ParsedRequest(request=request, state=state, body=text[match.end() :])


def read_request_file(vault: Vault, path: Path) -> ParsedRequest:
    """Read and parse a file inside the vault, refusing links, FIFOs and other non-regular files, oversize
    and odd names."""
    if ".." in path.name or not path.name.endswith(".md"):
        raise RequestFileError(f"{path.name!r} is not a request file name (<date>_<type>_<id>.md)")
    try:
        vault.check_inside(path)
    except InvalidInput:
        raise RequestFileError(f"{path.name!r} is a link to a file outside the vault") from None
    try:
        data = read_regular(path, MAX_REQUEST_BYTES)  # never blocks on a FIFO, never reads a hard link
    except IrregularFile as exc:
        raise RequestFileError(exc.reason) from None
    except OSError as exc:
        raise RequestFileError(f"the file could not be read ({exc.strerror or type(exc).__name__})") from None
    return parse(data)


def write_new_request(vault: Vault, folder: str, request: ActionRequest, body: str) -> Path:
    """Create the request file without ever overwriting another (ids are random; a clash re-rolls). Never
    through a link: `Pending_Approval/` linked to `Approved/` would file every request as approved."""
    linked = vault.linked_request_folder()
    if linked:
        raise ConfigError(linked)
    path = vault.folder(folder) / request.file_name
    if not create_exclusive(path, render(request, body)):
        raise FileExistsError(path)
    from mcp_servers.core.ledger import Ledger  # the gate's ledger, loaded with it on the first write

    Ledger(vault).note_filed(request.id)  # a ledger lost later loses this mark too: then a read is due first
    return path


def find_request(vault: Vault, request_id: str, folders: tuple[str, ...] = REQUEST_FOLDERS) -> Path | None:
    """The file holding request `request_id`, by the short id in its name, in the first folder found.
    Only regular files count: a dotfile, link, folder or FIFO with a matching name is never the request.
    Only real folders count: `Approved/` replaced by a link to `Pending_Approval/` approves nothing."""
    if not re.match(ID_PATTERN, request_id or ""):
        return None
    short = request_id.rsplit("-", 1)[-1]
    for folder in folders:
        try:
            if not stat.S_ISDIR(os.lstat(vault.folder(folder)).st_mode):
                continue  # a link (to another request folder, or anywhere) or a file: nothing there
            names = sorted(os.listdir(vault.folder(folder)))
        except OSError:  # missing: nothing there
            continue
        for name in names:
            if name.endswith(f"_{short}.md") and not name.startswith(".") and _regular(vault.folder(folder) / name):
                return vault.folder(folder) / name
    return None


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
