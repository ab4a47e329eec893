"""How Odoo's faults become the core error tree: messages for the owner that say what is wrong and what to
change, never a traceback or a server path. XML-RPC fault codes (1 server error, 2 business error, 3 bad
credentials, 4 access error) and JSON-2 HTTP statuses with the exception's qualified name."""

from __future__ import annotations

import re
from typing import Any

from mcp_servers.core.errors import AuthError, Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError

_LAST_LINE = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Warning|Denied)?): (.*)$")


class MissingMethod(InvalidInput):
    """The server has no such method (e.g. `formatted_read_group` before 18.2)."""


class LoginProblem(AuthError):
    """Logging in failed because of one setting: `setting` names it (ODOO_URL, ODOO_DB, ODOO_USERNAME or
    ODOO_API_KEY), so `doctor` can say which one to fix."""

    def __init__(self, message: str, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


_DATA_ERRORS = (
    "DataError",
    "InvalidDatetimeFormat",
    "InvalidTextRepresentation",
    "NumericValueOutOfRange",
    "DatetimeFieldOverflow",
    "InvalidParameterValue",
)


def map_fault(code: Any, text: str) -> Any:
    """XML-RPC fault → error (or None for the committed-but-None case). Code 1 keeps only its last line."""
    if code == 1:
        cls, message = _exception_line(text)
        if "cannot marshal None" in message:
            return None
        if cls == "AttributeError" and "does not exist" in message:
            raise MissingMethod(f"Odoo has no such method: {message}")
        database = re.search(r'database "([^"]*)" does not exist', message)
        if database:
            raise LoginProblem(
                f"Odoo has no database {database.group(1)!r}: set ODOO_DB to the name shown in Odoo's database "
                "selector (/web/database/selector); on Odoo Online it is the part of the address before .odoo.com.",
                "ODOO_DB",
            )
        if cls in ("ValueError", "TypeError", "KeyError"):
            raise InvalidInput(f"Odoo rejected the request: {_clean(message)}")
        if cls in _DATA_ERRORS:
            raise InvalidInput(
                f"Odoo could not use a value in the filter or the data ({_clean(message)}): give each field a value "
                "of its type, e.g. dates as YYYY-MM-DD, numbers without quotes, ids as integers."
            )
        raise ServiceError(
            f"Odoo reported an internal error ({cls or 'unknown'}); nothing is retried. Check the Odoo "
            "server log for details."
        )
    if code == 2:
        return _business(text)
    if code == 3:
        raise LoginProblem(
            "Odoo refused the credentials (Access Denied): check ODOO_USERNAME and ODOO_API_KEY "
            "(or ODOO_PASSWORD); an API key may have expired (keys last at most 3 months).",
            "ODOO_USERNAME/ODOO_API_KEY",
        )
    if code == 4:
        raise PermissionDenied(f"The Odoo user lacks the rights for this: {_clean(text)}")
    raise ServiceError(f"Odoo refused the request: {_clean(text)}")


def _exception_line(text: str) -> tuple[str, str]:
    """(exception class, message) of a fault-1 traceback: its last `Class: message` line (a database error
    adds `LINE 1: …` and a caret after it), or ("", last line)."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        match = _LAST_LINE.match(line)
        if match and match.group(1)[:1].isupper() and match.group(1) != "LINE":
            return match.group(1), match.group(2)
    return "", lines[-1] if lines else ""


def _business(message: str) -> Any:
    text = _clean(message)
    if "does not exist or has been deleted" in text:
        raise NotFound(f"Odoo: {text.splitlines()[0]}")
    if re.match(r"Object [\w.]+ doesn't exist", text):
        raise InvalidInput(f"Odoo: {text}")
    raise Conflict(f"Odoo refused: {text}")


def map_json2(status: int, name: str, message: str) -> Any:
    if status == 401:
        raise LoginProblem(
            "Odoo refused the API key (Invalid apikey): check ODOO_API_KEY; it may have expired (keys last at most "
            "3 months: make a new one under Preferences → Account Security) or lack the 'rpc' scope.",
            "ODOO_API_KEY",
        )
    if status == 403:
        raise PermissionDenied(f"The Odoo user lacks the rights for this: {_clean(message)}")
    if status == 404 and name.endswith("MissingError"):
        raise NotFound(f"Odoo: {_clean(message).splitlines()[0]}")
    if status == 404:
        raise MissingMethod(f"Odoo has no such model or method: {_clean(message)}")
    if name.startswith("builtins."):
        raise InvalidInput(f"Odoo rejected the request: {_clean(message)}")
    if status == 422 or name.startswith("odoo.exceptions."):
        return _business(message)
    raise ServiceError(f"Odoo reported an internal error ({name.rsplit('.', 1)[-1]}); nothing is retried.")


def _clean(text: str) -> str:
    """Drop anything that looks like a traceback or a server path."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("File ", "Traceback", "raise "))]
    return re.sub(r"(/[\w.-]+){2,}\.py", "<server file>", "\n".join(lines)).strip()[:500]
