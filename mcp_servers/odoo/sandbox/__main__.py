"""`python -m mcp_servers.odoo.sandbox`: the emulator as a standalone server."""

import sys

from mcp_servers.odoo.sandbox.emulator import main

sys.exit(main())
