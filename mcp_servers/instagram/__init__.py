"""The Instagram MCP server: read the professional account, its media, quota and current insights;
publish (container → status → media_publish) and reply only through the approval gate."""
