"""`python -m tests.core.fake_service`: the fake service over stdio, as a real one starts."""

from mcp_servers.core.service import main
from tests.core.fake_service.server import DEFINITION

main(DEFINITION)
