"""Configured secrets never leave a process in text: every `SecretStr` setting (service tokens, app secrets,
passwords, `APPROVAL_SIGNING_KEY`) is registered when its settings object is built, and `redact_text` /
`scrub` replace them before anything is stored (ledger, Done/, Logs/), returned to the model, logged or
printed. A remote error that echoes the request back therefore cannot carry a token into the vault."""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any
from urllib.parse import quote

REDACTED = "[redacted]"
MIN_LENGTH = 8  # shorter values (a sandbox password like "admin") would garble ordinary words
_URL_SECRET = re.compile(
    r"(?i)\b(input_token|access_token|appsecret_proof|client_secret|api_key|password|oauth_signature)="
    r"(?!\[redacted\])[^&\s\"'#]+"
)
_secrets: tuple[str, ...] = ()
_lock = threading.Lock()


def register(*values: str | None) -> None:
    """Add secret values to redact (and their URL- and JSON-encoded forms), longest first."""
    global _secrets
    found = {form for v in values if v and len(v) >= MIN_LENGTH for form in (v, quote(v, safe=""), json.dumps(v)[1:-1])}
    with _lock:
        if found - set(_secrets):
            _secrets = tuple(sorted(set(_secrets) | found, key=len, reverse=True))


def register_settings(settings: object) -> None:
    """Register every `SecretStr` field value of a settings object."""
    from pydantic import BaseModel, SecretStr

    if isinstance(settings, BaseModel):
        register(
            *(v.get_secret_value() for v in settings.__dict__.values() if isinstance(v, SecretStr)),
        )


def redact_text(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _URL_SECRET.sub(rf"\1={REDACTED}", text) if "=" in text else text


def scrub(value: Any) -> Any:
    """`value` with every secret redacted in its strings (dicts, lists and tuples are walked)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    return value


def has_secret(text: str) -> bool:
    return redact_text(text) != text


class RedactingFilter(logging.Filter):
    """Redacts a log record's message and traceback before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if has_secret(message):
            record.msg, record.args = redact_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


def install_log_redaction(*loggers: logging.Logger) -> None:
    """Redact every record handled by the root logger's handlers (and by `loggers` themselves)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    for logger in loggers:
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
