"""The Facebook Page MCP server: read the Page, its posts and current insights; post, reply and delete
only through the approval gate."""
