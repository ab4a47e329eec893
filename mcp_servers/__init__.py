"""MCP servers of AI Employee: one package per external service, all built on `mcp_servers.core`."""
