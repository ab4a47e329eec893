"""Wiring of the fake service, as every real service does it."""

from __future__ import annotations

from pydantic import SecretStr

from mcp_servers.core.server import ServiceApp
from mcp_servers.core.service import ReadTool, ServiceDefinition
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


DEFINITION = ServiceDefinition(
    name="fake",
    tag="fk",
    instructions="Fake notes.",
    settings_cls=FakeSettings,
    make_client=make_client,
    reads=(ReadTool(tools.list_notes, "List notes"),),
    writes=(tools.ADD_NOTE,),
)


def make_app(vault: Vault) -> ServiceApp[FakeClient]:
    app: ServiceApp[FakeClient] = ServiceApp(
        "fake", settings=FakeSettings(), vault=vault, client_factory=make_client, instructions="Fake notes.", tag="fk"
    )
    DEFINITION.build(app)
    return app
