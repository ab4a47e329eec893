"""A service defined once (`ServiceDefinition`, the `DEFINITION` in each service's `server.py`) and run by
`main()`: arguments, settings, logging to stderr, the vault, then stdio or HTTP. The orchestrator, the CLI
and the audit reach a service's settings and client through `load_service(name)`."""

from __future__ import annotations

import argparse
import inspect
import logging
import os
import sys
import threading
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from mcp_servers.core.actions import WriteAction
from mcp_servers.core.errors import ConfigError
from mcp_servers.core.redaction import install_log_redaction, redact_text
from mcp_servers.core.server import ServiceApp, validation_message
from mcp_servers.core.settings import ServiceSettings, resolve_vault
from mcp_servers.core.vault import Vault


@dataclass(frozen=True)
class ReadTool:
    """One read tool: `fn(client, args) -> result` (args model and result from its annotations)."""

    fn: Callable[[Any, Any], Any]
    title: str

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def args(self) -> type[BaseModel]:
        """The arguments model (the annotation of `fn`'s second parameter)."""
        hints = typing.get_type_hints(self.fn)
        model: type[BaseModel] = hints[list(inspect.signature(self.fn).parameters)[1]]
        return model

    def __call__(self, client: Any, **args: Any) -> Any:
        """Run the tool in-process, as the server does: the arguments validated by its model."""
        return self.fn(client, self.args(**args))


@dataclass(frozen=True)
class ServiceDefinition:
    """Everything needed to run one service, defined once in its `server.py` as `DEFINITION`: its settings
    class, client factory, read tools and write actions. The server's `__main__`, the orchestrator, the CLI
    and the audit all reach a service through it, never through the service's own modules."""

    name: str
    tag: str  # short form in request ids, e.g. "fb"
    instructions: str
    settings_cls: type[ServiceSettings]
    make_client: Callable[[Any, Vault], Any]
    reads: tuple[ReadTool, ...]
    writes: tuple[WriteAction[Any, Any], ...]
    # `doctor`: log in for real with these settings -> (ok, what was found, what to change); None: no such check
    login_check: Callable[[Any], tuple[bool, str, str]] | None = None

    def build(self, app: ServiceApp[Any]) -> None:
        """Register every declared tool on the app (reads read-only; writes through the approval gate)."""
        for read in self.reads:
            app.read(read.fn, title=read.title)
        for action in self.writes:
            app.write(action)

    def read_tool(self, name: str) -> ReadTool:
        """Read tool `name`; a name the service does not declare is a programming error."""
        for read in self.reads:
            if read.name == name:
                return read
        raise KeyError(f"{self.name} has no read tool {name!r}; it has {', '.join(r.name for r in self.reads)}")

    def write_action(self, name: str) -> WriteAction[Any, Any]:
        """The write action `name` (e.g. `create_post`); a name the service does not declare is a programming
        error."""
        for action in self.writes:
            if action.name == name:
                return action
        raise KeyError(f"{self.name} has no write action {name!r}; it has {', '.join(a.name for a in self.writes)}")

    def client(self, vault: Vault, settings: ServiceSettings | None = None) -> Any:
        """A client built from the environment's settings (sandbox starts its emulator), for in-process use."""
        settings = settings or self.settings_cls()
        settings.check()
        return self.make_client(settings, vault)


def load_service(name: str) -> ServiceDefinition:
    """The definition of service `name` (`mcp_servers.<name>.server.DEFINITION`)."""
    import importlib

    definition: ServiceDefinition = importlib.import_module(f"mcp_servers.{name}.server").DEFINITION
    return definition


def _watch_parent() -> None:
    """Exit when the process that started us dies (a stdio server cannot see it on stdin)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(2)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(definition: ServiceDefinition, argv: list[str] | None = None) -> None:
    service = definition.name
    parser = argparse.ArgumentParser(
        prog=f"python -m mcp_servers.{service}", description=f"AI Employee {service} MCP server"
    )
    parser.add_argument("--vault", help="the Obsidian vault (default: VAULT_PATH, else ./vault)")
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP only; keep 127.0.0.1 unless behind a proxy")
    parser.add_argument("--port", type=int, default=8765, help="HTTP only")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "WARNING"))
    args = parser.parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr, level=args.log_level.upper(), format=f"%(asctime)s {service} %(levelname)s %(message)s"
    )
    install_log_redaction()  # no configured secret reaches stderr, whatever logs it
    try:
        settings = definition.settings_cls()
        settings.check()
        vault = Vault(resolve_vault(args.vault))
        vault.ensure_layout()
        app: ServiceApp[Any] = ServiceApp(
            service,
            settings=settings,
            vault=vault,
            client_factory=definition.make_client,
            instructions=definition.instructions,
            tag=definition.tag,
        )
    except (ConfigError, ValidationError) as exc:
        message = exc.message if isinstance(exc, ConfigError) else validation_message(exc)
        print(redact_text(f"{service}: configuration error: {message}"), file=sys.stderr)
        raise SystemExit(2) from None
    definition.build(app)
    if args.transport == "stdio":
        _watch_parent()
    app.run(args.transport, args.host, args.port)
