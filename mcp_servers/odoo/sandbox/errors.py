"""The exceptions the emulator raises, carrying what real Odoo puts on the wire for each.

XML-RPC `/xmlrpc/2` uses integer fault codes (1 server error with a traceback-shaped text, 2 business
error, 3 bad credentials, 4 access error); JSON-2 uses an HTTP status and the qualified class name.
"""

from __future__ import annotations

# A traceback like the one Odoo 17 sends for fault 1; its paths are what the client must never show.
_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 148, in xmlrpc_2\n'
    "    response = self._xmlrpc(service)\n"
    '  File "/usr/lib/python3/dist-packages/odoo/models.py", line 5872, in {where}\n'
    "    raise {cls}({msg!r})\n"
    "{cls}: {msg}\n"
)


class OdooError(Exception):
    """Base: `fault_code` for XML-RPC, `http_status` and `name` for JSON-2."""

    fault_code = 2
    http_status = 422
    name = "odoo.exceptions.UserError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def fault_string(self) -> str:
        return self.message

    @property
    def json2_message(self) -> str:
        return self.message


class UserError(OdooError):
    pass


class ValidationError(OdooError):
    name = "odoo.exceptions.ValidationError"


class MissingError(OdooError):
    http_status = 404
    name = "odoo.exceptions.MissingError"


class AccessError(OdooError):
    fault_code = 4
    http_status = 403
    name = "odoo.exceptions.AccessError"


class AccessDenied(OdooError):
    fault_code = 3
    http_status = 401
    name = "odoo.exceptions.AccessDenied"

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class UnknownModel(OdooError):
    """`Object x doesn't exist`: fault 2 on XML-RPC; on JSON-2 a 404 in other words."""

    http_status = 404
    name = "werkzeug.exceptions.NotFound"

    def __init__(self, model: str) -> None:
        super().__init__(f"Object {model} doesn't exist")
        self.model = model

    @property
    def json2_message(self) -> str:
        return f"the model {self.model!r} does not exist"


class ServerError(OdooError):
    """A Python exception inside Odoo: fault 1 with a traceback; 500 on JSON-2 (404 for a missing method)."""

    fault_code = 1
    http_status = 500

    def __init__(self, message: str, cls: str = "ValueError", *, http_status: int = 500) -> None:
        super().__init__(message)
        self.cls = cls
        self.http_status = http_status
        self.name = f"builtins.{cls}" if http_status != 404 else "werkzeug.exceptions.NotFound"

    def fault_string(self) -> str:
        return _TRACEBACK.format(where="_call", cls=self.cls, msg=self.message)


def missing_method(model: str, method: str, version: int = 17) -> ServerError:
    """Odoo's words: 17 names method and model apart, 18+ the qualified method."""
    text = (
        f"The method '{model}.{method}' does not exist"
        if version >= 18
        else f"The method '{method}' does not exist on the model '{model}'"
    )
    return ServerError(text, "AttributeError", http_status=404)


def private_method(model: str, method: str, version: int = 17) -> AccessError:
    name = f"'{model}.{method}'" if version >= 18 else method
    return AccessError(f"Private methods (such as {name}) cannot be called remotely.")


def bad_arguments(message: str) -> ServerError:
    """Argument binding failed: TypeError over XML-RPC, 422 on JSON-2."""
    return ServerError(message, "TypeError", http_status=422)
