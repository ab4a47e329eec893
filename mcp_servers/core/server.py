"""The server base: one `ServiceApp` per service wires plain tool functions into `MCPServer`.

Read tools are `fn(client, args) -> ToolResult`; write tools are `WriteAction`s run by the
`ApprovalGate`, so the dry_run / approval_id semantics exist only there. Every result is stamped
SANDBOX or LIVE, every `ServiceError` becomes a tool error with a message a person can act on, the
client is built on first use (start-up stays fast), and the circuit breaker guards every call.
`mcp_servers.core.service` defines a service and runs it (`main`).
"""

from __future__ import annotations

import inspect
import logging
import threading
import typing
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, StrictBool, ValidationError

from mcp_servers.core.actions import WriteAction
from mcp_servers.core.errors import ServiceError, describe
from mcp_servers.core.models import ToolResult, WriteResult
from mcp_servers.core.redaction import has_secret, redact_text, scrub
from mcp_servers.core.resilience import CircuitBreaker
from mcp_servers.core.settings import CoreSettings, ServiceSettings
from mcp_servers.core.vault import Vault

if TYPE_CHECKING:
    from mcp_servers.core.gate import ApprovalGate

log = logging.getLogger("ai_employee.server")
ClientT = TypeVar("ClientT")
ArgsT = TypeVar("ArgsT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=ToolResult)

WRITE_SUFFIX = (
    "\n\nSafe by default: with dry_run=true (the default) nothing is sent and you get a preview of exactly "
    "what would be sent. dry_run=false files a request in the owner's vault (Pending_Approval/, or Approved/ "
    "when the written policy auto-approves); the owner approves by moving the file to Approved/ and the "
    "orchestrator then runs it once. approval_id is passed only by the orchestrator."
)


_WRITE_PARAMETERS = [
    inspect.Parameter(
        "dry_run",
        inspect.Parameter.KEYWORD_ONLY,
        default=True,
        annotation=Annotated[  # strict: the string "false" or 0 must never count as a real filing
            StrictBool,
            Field(description="true (default): preview only, nothing sent. false: file the request for approval."),
        ],
    ),
    inspect.Parameter(
        "approval_id",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None, Field(description="Only the orchestrator sets this: the id of an approved request to execute.")
        ],
    ),
]


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("ai-employee")
    except PackageNotFoundError:
        return "0.0.0"


def _parameters(model: type[BaseModel]) -> list[inspect.Parameter]:
    """Keyword parameters mirroring `model`'s fields, so the tool's input schema is the model's."""
    params = []
    for name, field in model.model_fields.items():
        # The FieldInfo carries the default (or default_factory); giving it twice is an error in pydantic.
        params.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[field.annotation, field])
        )
    return params


def _with_signature(
    fn: Callable[..., Any], name: str, params: list[inspect.Parameter], returns: type
) -> Callable[..., Any]:
    fn.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    fn.__name__ = fn.__qualname__ = name
    return fn


def validation_message(exc: ValidationError) -> str:
    """What was wrong, per field, without pydantic's dump of the rejected input and its links."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"])
        message = (
            "must be true or false (a JSON boolean, not a string or number)"
            if error["type"] == "bool_type"
            else error["msg"]
        )
        parts.append(f"{where}: {message}" if where else message)
    more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
    return "Invalid input: " + "; ".join(parts) + more + ". Fix the argument and call again."


def _server(service: str, instructions: str) -> Any:
    """An `MCPServer` whose argument errors read like ours (the SDK passes pydantic's raw text through)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

    class Server(MCPServer):  # type: ignore[misc]
        async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
            try:
                return await super().call_tool(name, arguments, context)
            except ToolError as exc:
                cause = exc.__cause__
                if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                    raise
                raise ToolError(f"{name}: {validation_message(cause)}") from cause

    return Server(service, version=version(), instructions=instructions, log_level="WARNING")


def _redacted(result: ResultT) -> ResultT:
    """The result without any configured secret (a remote error may echo the request, token included)."""
    if not has_secret(result.model_dump_json()):  # one pass over the text: large reads stay cheap
        return result
    return type(result).model_validate(scrub(result.model_dump(mode="json")))


class ServiceApp(Generic[ClientT]):
    def __init__(
        self,
        service: str,
        *,
        settings: ServiceSettings,
        vault: Vault,
        client_factory: Callable[[Any, Vault], ClientT],
        instructions: str,
        tag: str,
        core: CoreSettings | None = None,
    ) -> None:
        self.service, self.settings, self.vault, self.tag = service, settings, vault, tag
        self.core = core or CoreSettings()
        self.mode_label = settings.mode_label
        self.mcp = _server(service, instructions)
        self.breaker = CircuitBreaker(service)
        self._client_factory = client_factory
        self._client: ClientT | None = None
        self._client_lock = threading.Lock()
        self._gate: ApprovalGate | None = None
        self.tool_names: list[str] = []
        self._add_health_route()

    def client(self) -> ClientT:
        """The service client, built on first use (sandbox mode starts its emulator here)."""
        with self._client_lock:
            if self._client is None:
                self._client = self._client_factory(self.settings, self.vault)
            return self._client

    @property
    def gate(self) -> ApprovalGate:
        if self._gate is None:  # imported on the first write: signing, YAML and the ledger cost start-up time
            from mcp_servers.core.gate import ApprovalGate
            from mcp_servers.core.policy import policy_from_settings

            self._gate = ApprovalGate(
                self.service,
                self.vault,
                key=self.core.signing_key(),
                policy=policy_from_settings(),
                tag=self.tag,
                expiry=timedelta(hours=self.core.approval_expiry_hours),
                stale_after=timedelta(minutes=self.core.ledger_stale_after_minutes),
                mode_label=self.mode_label,
                breaker=self.breaker,
            )
        return self._gate

    def _guard(self, name: str, body: Callable[[], ResultT]) -> ResultT:
        from mcp.server.mcpserver.exceptions import ToolError

        try:
            result = body()
        except ValidationError as exc:
            raise ToolError(redact_text(validation_message(exc))) from None
        except ServiceError as exc:
            raise ToolError(redact_text(f"[{self.mode_label}] {exc.message}")) from None
        except Exception as exc:
            log.exception("tool %s failed", name)
            raise ToolError(redact_text(describe(exc))) from None
        return _redacted(result.model_copy(update={"mode": self.mode_label}))

    def read(
        self,
        fn: Callable[[ClientT, ArgsT], ResultT],
        *,
        title: str,
        description: str | None = None,
        name: str | None = None,
        open_world: bool = True,
    ) -> None:
        """Register a read tool `fn(client, args) -> result` (args model and result from its annotations)."""
        from mcp.types import ToolAnnotations

        hints = typing.get_type_hints(fn)
        args_name = list(inspect.signature(fn).parameters)[1]
        args_model: type[ArgsT] = hints[args_name]
        returns: type[ResultT] = hints["return"]
        tool_name = name or fn.__name__

        def tool(**kwargs: Any) -> ResultT:
            return self._guard(tool_name, lambda: self.breaker.call(lambda: fn(self.client(), args_model(**kwargs))))

        annotations = ToolAnnotations(
            title=title, read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=open_world
        )
        wrapped = _with_signature(tool, tool_name, _parameters(args_model), returns)
        self.mcp.add_tool(
            wrapped, name=tool_name, title=title, description=description or inspect.getdoc(fn), annotations=annotations
        )
        self.tool_names.append(tool_name)

    def write(self, action: WriteAction[ClientT, Any]) -> None:
        """Register a write tool; the gate owns dry_run / approval_id."""
        from mcp.types import ToolAnnotations

        def tool(dry_run: bool = True, approval_id: str | None = None, **kwargs: Any) -> WriteResult:
            def body() -> WriteResult:
                args = action.args(**kwargs)
                if dry_run:
                    if approval_id:
                        raise ServiceError("approval_id is only used with dry_run=false.")
                    return self.breaker.call(lambda: self.gate.preview(action, self.client(), args))
                if approval_id is None:
                    return self.breaker.call(lambda: self.gate.file(action, self.client(), args))
                return self.gate.execute(action, self.client, args, approval_id)

            return self._guard(action.name, body)

        params = [*_parameters(action.args), *_WRITE_PARAMETERS]
        annotations = ToolAnnotations(
            title=action.title,
            read_only_hint=False,
            destructive_hint=action.destructive,
            idempotent_hint=action.idempotent,
            open_world_hint=True,
        )
        wrapped = _with_signature(tool, action.name, params, WriteResult)
        self.mcp.add_tool(
            wrapped,
            name=action.name,
            title=action.title,
            description=action.description + WRITE_SUFFIX,
            annotations=annotations,
        )
        self.tool_names.append(action.name)

    def _add_health_route(self) -> None:
        from starlette.requests import Request
        from starlette.responses import JSONResponse

        @self.mcp.custom_route("/health", methods=["GET"])  # type: ignore[untyped-decorator]
        async def health(request: Request) -> JSONResponse:
            return JSONResponse(
                {"status": "ok", "server": self.service, "mode": self.settings.mode, "breaker": self.breaker.state}
            )

    def run(self, transport: str = "stdio", host: str = "127.0.0.1", port: int = 8765) -> None:
        if transport == "stdio":
            self.mcp.run()
        else:
            self.mcp.run(transport="streamable-http", host=host, port=port)
