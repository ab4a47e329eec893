"""The floor: the smallest `MCPServer` with one tool, same Python — what any server costs to start."""

from mcp.server.mcpserver import MCPServer

mcp = MCPServer("floor", version="1.0")


@mcp.tool()
def echo(text: str) -> str:
    """Echo the text."""
    return text


if __name__ == "__main__":
    mcp.run()
