"""A stand-in agent for `smallbatch run`: an MCP client that reads the MCP
configuration `run` hands it (`--mcp-config PATH`), starts the server it
names, and reports through it. Usage:

    agent.py --mcp-config PATH checkpoint NOTE
    agent.py --mcp-config PATH pause NOTES NEXT_STEP
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "--mcp-config":
        print(f"agent: expected --mcp-config PATH ACTION …, got {argv}", file=sys.stderr)
        return 2
    config = json.loads(open(argv[1], encoding="utf-8").read())
    server = config["mcpServers"]["smallbatch"]
    params = StdioServerParameters(
        command=server["command"], args=server.get("args", []), env=server.get("env", {})
    )
    action, rest = argv[2], argv[3:]
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            if action == "checkpoint":
                result = await session.call_tool("session_checkpoint", {"note": rest[0]})
            elif action == "pause":
                result = await session.call_tool(
                    "session_pause", {"notes": rest[0], "nextSteps": rest[1:]}
                )
            else:
                print(f"agent: unknown action {action}", file=sys.stderr)
                return 2
            print(f"agent: {action}: {result.content[0].text}")
            return 1 if result.is_error else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(asyncio.wait_for(main(sys.argv[1:]), timeout=60)))
