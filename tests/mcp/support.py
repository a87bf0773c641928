"""What the MCP tests share: the binary, the spec, temporary git
repositories, the CLI, and a client session of the official MCP Python SDK
on `smallbatch mcp`."""

import json
import os
import subprocess
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BIN = os.environ["SMALLBATCH_BIN"]
HERE = Path(__file__).resolve().parent
# One test may take this long; the script's caller has its own watchdog.
TEST_TIMEOUT = 90

SPEC_PATH = "specs/001-export/README.md"
SPEC_ID = "001-export"
SPEC = """---
status: planned
---

# Export invoices as CSV

## Intent
Accountants re-type every month's invoices by hand. Exporting a month as CSV removes that work.

## Feature description
- Rows are streamed: memory stays flat.

## Scenarios

```gherkin
Feature: Invoice export
  Scenario: Export a month with invoices
    Given a month with 3 invoices
    When I export that month
    Then I get a CSV with a header and 3 rows

  Scenario: Export an empty month
    Given a month with no invoices
    When I export the quiet month
    Then I get only the header row

  Scenario: Refuse an open month
    Given the current month is still open
    When I export the open month
    Then I am told to close it first
```

## Scenario order
1. Export a month with invoices
2. Export an empty month
3. Refuse an open month
"""

# A spec with diagnostics: no intent (SB001), a scenario without Then (SB006).
BROKEN_PATH = "specs/002-broken/README.md"
BROKEN = """# Broken

## Scenarios

```gherkin
Feature: Broken
  Scenario: Only a given
    Given nothing else
```
"""

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}

TOOLS = {
    "session_status": ([], []),
    "session_context": ([], []),
    "session_checkpoint": (["note"], ["note"]),
    "session_pause": (["notes", "nextSteps"], ["notes"]),
    "session_complete": (["summary"], []),
    "spec_check": (["path"], []),
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


REPOS: list[Path] = []


def make_repo(config: str | None = None, broken: bool = False) -> Path:
    repo = Path(tempfile.mkdtemp(prefix="smallbatch-mcp-")).resolve()
    REPOS.append(repo)
    write(repo, SPEC_PATH, SPEC)
    write(repo, "src/lib.rs", "pub mod export;\n")
    if broken:
        write(repo, BROKEN_PATH, BROKEN)
    if config is not None:
        write(repo, ".smallbatch/config.toml", config)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the spec")
    return repo


def cli(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [BIN, *args], cwd=repo, capture_output=True, text=True, timeout=TEST_TIMEOUT
    )
    if check and done.returncode != 0:
        raise AssertionError(f"smallbatch {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done


def start(repo: Path) -> str:
    started = json.loads(cli(repo, "start", SPEC_PATH, "--format", "json").stdout)
    return started["sessionId"]


def record(repo: Path, session: str) -> dict:
    path = repo / ".smallbatch" / "sessions" / SPEC_ID / f"{session}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


@asynccontextmanager
async def connect(repo: Path, env: dict | None = None):
    """A client session on `smallbatch mcp` in `repo`; `session.heard` holds
    the methods of the notifications the server sent."""
    params = StdioServerParameters(command=BIN, args=["mcp"], cwd=str(repo), env=env or {})
    heard: list[str] = []

    async def listen(message) -> None:
        if not isinstance(message, Exception):
            heard.append(getattr(message, "method", type(message).__name__))

    with open(repo / "mcp-server.log", "a", encoding="utf-8") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write_stream):
            async with ClientSession(
                read, write_stream, read_timeout_seconds=60, message_handler=listen
            ) as session:
                init = await session.initialize()
                session.init = init
                session.heard = heard
                yield session
