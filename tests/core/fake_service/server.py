"""Wiring of the fake service, as every real service does it."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from mcp_servers.core.server import ServiceApp
from mcp_servers.core.service import ServiceDefinition
from mcp_servers.core.settings import ServiceSettings, SettingsConfigDict
from mcp_servers.core.vault import Vault
from tests.core.fake_service import tools
from tests.core.fake_service.client import FakeClient


class FakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FAKE_", extra="ignore")
    token: SecretStr | None = None
    live_required = ("token",)


def make_client(settings: FakeSettings, vault: Vault) -> FakeClient:
    return FakeClient(vault, token=settings.token.get_secret_value() if settings.token else "")


def build(app: ServiceApp[Any]) -> None:
    app.read(tools.list_notes, title="List notes")
    app.write(tools.ADD_NOTE)


def make_app(vault: Vault) -> ServiceApp[FakeClient]:
    app: ServiceApp[FakeClient] = ServiceApp(
        "fake", settings=FakeSettings(), vault=vault, client_factory=make_client, instructions="Fake notes.", tag="fk"
    )
    build(app)
    return app


DEFINITION = ServiceDefinition(
    name="fake", tag="fk", instructions="Fake notes.", settings_cls=FakeSettings, make_client=make_client, build=build
)
