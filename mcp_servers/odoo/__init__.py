"""Odoo: the MCP server for the books (XML-RPC and JSON-2 client, tools, and a protocol-level emulator)."""
