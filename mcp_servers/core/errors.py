"""The one error tree of AI Employee, and its translation into messages a person can act on.

    ServiceError                 something went wrong talking to, or asking of, a service
    ├── InvalidInput(field)      the arguments are wrong; nothing was sent
    ├── AuthError                credentials missing, wrong or expired: re-authenticate
    ├── PermissionDenied         the credentials lack a permission (named when known)
    ├── NotFound                 the record, post or file does not exist
    ├── Conflict                 the service refused because of its own state (duplicate post,
    │                            posted entry, already paid)
    ├── RateLimited(retry_after) a quota is used up; retry after N seconds (never slept on)
    ├── Unavailable              the service cannot be reached or failed on its side; reads retry
    ├── Ambiguous                a write may or may not have happened: never re-run blindly
    ├── ApprovalRefused          an `approval_id` did not pass verification; nothing was run
    └── ConfigError              the settings are missing or invalid: fix .env and restart

Services refine these where a caller acts differently (e.g. graph `Blocked(PermissionDenied)`,
`NotReady(Conflict)`, odoo `LoginProblem(AuthError)`), never beside them. Clients raise them;
`ServiceApp` (`core/server.py`) turns them into an MCP tool error whose text is the message (`describe`),
never a traceback and never a secret.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Root of every error the model or the owner may see. `message` is written for them."""

    kind = "service_error"

    def __init__(self, message: str, *, service: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.details = details  # structured facts for the record, e.g. the parts of a thread already posted

    def __str__(self) -> str:
        return self.message


class InvalidInput(ServiceError):
    kind = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None, service: str | None = None) -> None:
        text = f"{field}: {message}" if field and not message.startswith(f"{field}:") else message
        super().__init__(text, service=service)
        self.field = field


class AuthError(ServiceError):
    kind = "auth_error"


class PermissionDenied(ServiceError):
    kind = "permission_denied"


class NotFound(ServiceError):
    kind = "not_found"


class Conflict(ServiceError):
    kind = "conflict"


class RateLimited(ServiceError):
    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, service: str | None = None) -> None:
        if retry_after is not None and "retry after" not in message.lower():
            message = f"{message} Retry after {max(1, round(retry_after))} s."
        super().__init__(message, service=service)
        self.retry_after = retry_after


class Unavailable(ServiceError):
    kind = "unavailable"


class Ambiguous(ServiceError):
    """The request may have reached the service and been applied; only a read can tell."""

    kind = "ambiguous"


class ApprovalRefused(ServiceError):
    kind = "approval_refused"


class ConfigError(ServiceError):
    kind = "config_error"


def describe(exc: BaseException) -> str:
    """A one-line message for any exception, without internals for unexpected ones."""
    if isinstance(exc, ServiceError):
        return exc.message
    return f"Unexpected internal error ({type(exc).__name__}); details are in the server log."
