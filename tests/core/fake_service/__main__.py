"""`python -m tests.core.fake_service`: the fake service over stdio, as a real one starts."""

from mcp_servers.core.server import main
from tests.core.fake_service.server import FakeSettings, build, make_client

main("fake", settings_cls=FakeSettings, client_factory=make_client, build=build, instructions="Fake notes.", tag="fk")
