"""Action request files: signing, verification, and parsing that never crashes on bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import Vault

NOW = datetime(2026, 11, 25, 22, 10, tzinfo=UTC)


def make_request(key: bytes) -> ar.ActionRequest:
    request = ar.build_request(
        type="social_media_post",
        tag="fb",
        calls=[ar.ToolCall(server="facebook", tool="create_post", args={"message": "Q1 launch", "link": None})],
        summary="Post: Q1 launch",
        now=NOW,
        expiry=timedelta(days=7),
        amount=12.5,
    )
    return ar.sign(request, key)


def test_a_signed_request_round_trips_through_markdown_and_verifies(signing_key: bytes) -> None:
    request = make_request(signing_key)
    parsed = ar.parse(ar.render(request, "# Body\nMove this file."))
    assert parsed.request == request
    ar.verify(parsed.request, signing_key)
    assert request.file_name == f"2026-11-25_social_media_post_{request.short_id}.md"


CHANGES: dict[str, Any] = {
    "type": "payment",
    "id": "20261125-221000-fb-00000000",
    "platforms": ["facebook", "twitter"],
    "summary": "Post: something else",
    "timestamp": "2026-11-25T22:11:00Z",
    "expires": "2027-01-01T00:00:00Z",
    "scheduled_for": "2026-11-26T09:00:00Z",
    "requires_approval": False,
    "auto_approve_reason": "because",
    "amount": 12.51,
    "calls": [{"server": "facebook", "tool": "create_post", "args": {"message": "Q1 launch!", "link": None}}],
    "body_digest": "sha256:" + "0" * 64,
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_changing_any_signed_field_in_the_file_fails_verification(field: str, signing_key: bytes) -> None:
    assert set(CHANGES) == set(ar.ActionRequest.model_fields) - {"signature"}
    text = ar.render(make_request(signing_key), "body")
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    data[field] = CHANGES[field]
    edited = "---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n" + body
    with pytest.raises(ar.RequestFileError, match="signature does not match"):
        ar.verify(ar.parse(edited).request, signing_key)


def test_another_key_does_not_verify(signing_key: bytes, random_key: bytes) -> None:
    with pytest.raises(ar.RequestFileError, match="signature does not match"):
        ar.verify(make_request(signing_key), random_key)


def test_the_body_and_state_fields_are_not_signed(signing_key: bytes) -> None:
    request = make_request(signing_key)
    text = ar.render(request, "edited body", state={"status": "succeeded"})
    parsed = ar.parse(text)
    ar.verify(parsed.request, signing_key)
    assert parsed.state == {"status": "succeeded"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"no front matter", "no YAML front matter"),
        (b"---\n: : :\n---\n", "not valid YAML"),
        (b"---\n- a list\n---\n", "not a mapping"),
        (b"---\ntype: x\n---\n", "id: Field required"),
        (b"\x00\x01binary", "binary"),
        (b"\xff\xfe\xfa", "not UTF-8"),
        (b"---\na: &x [1]\nb: *x\n---\n", "not valid YAML"),
        (b"x" * (ar.MAX_REQUEST_BYTES + 1), "at most"),
    ],
)
def test_bad_files_give_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(ar.RequestFileError, match=reason):
        ar.parse(content)


def test_wrong_types_name_the_field(signing_key: bytes) -> None:
    text = ar.render(make_request(signing_key), "body").replace("amount: 12.5", "amount: twelve")
    with pytest.raises(ar.RequestFileError, match="amount"):
        ar.parse(text)


def test_a_symlink_out_of_the_vault_is_refused(vault: Vault, tmp_path: Path, signing_key: bytes) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(ar.render(make_request(signing_key), "body"))
    link = vault.folder("Approved") / "2026-11-25_social_media_post_deadbeef.md"
    link.symlink_to(outside)
    with pytest.raises(ar.RequestFileError, match="outside the vault"):
        ar.read_request_file(vault, link)


def test_a_name_with_dotdot_is_refused(vault: Vault) -> None:
    with pytest.raises(ar.RequestFileError, match="not a request file name"):
        ar.read_request_file(vault, vault.folder("Approved") / "..evil.md")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_and_never_verify(data: bytes) -> None:
    key = b"k" * 32
    try:
        parsed = ar.parse(data)
    except ar.RequestFileError:
        return
    with pytest.raises(ar.RequestFileError):
        ar.verify(parsed.request, key)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
field_names = st.sampled_from([*ar.ActionRequest.model_fields, "status", "other"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(field_names, yaml_values, max_size=12))
def test_arbitrary_front_matter_never_crashes_and_never_verifies(front: dict[str, Any]) -> None:
    key = b"k" * 32
    text = "---\n" + yaml.safe_dump(front) + "---\nbody\n"
    try:
        parsed = ar.parse(text)
    except ar.RequestFileError:
        return
    with pytest.raises(ar.RequestFileError):
        ar.verify(parsed.request, key)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_in_a_signed_field_round_trips(summary: str) -> None:
    """Any text the model writes (emoji, NEL, line separators) survives the file and still verifies."""
    key = b"k" * 32
    request = make_request(key).model_copy(update={"summary": summary[:500], "signature": None})
    request = ar.sign(request, key)
    ar.verify(ar.parse(ar.render(request, "body")).request, key)
