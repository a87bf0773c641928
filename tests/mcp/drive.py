"""`smallbatch mcp` driven by the official MCP Python SDK over stdio, in
temporary git repositories: the handshake, every tool with its schema, the
resources, bad input, and `smallbatch run` handing the server to an agent
that is itself an MCP client. Prints `mcp: N passed, N failed`; exits 1
when a check fails. SMALLBATCH_BIN names the binary; MCP_TEST=text runs
only the tests whose name holds it.
"""

import asyncio
import json
import os
import shutil
import sys
import traceback

from mcp import MCPError

from support import (
    BIN, BROKEN_PATH, HERE, REPOS, SPEC_ID, SPEC_PATH, TEST_TIMEOUT, TOOLS, cli, connect,
    expect, git, make_repo, record, start, text_of, write,
)

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
async def initialize_names_the_server_and_what_it_serves():
    repo = make_repo()
    async with connect(repo) as session:
        init = session.init
        expect(init.server_info.name == "smallbatch", f"server name {init.server_info}")
        expect(init.capabilities.tools is not None, "no tools capability")
        expect(init.capabilities.resources is not None, "no resources capability")
        expect(bool(init.instructions), "no instructions")


@test
async def tools_list_gives_each_tool_with_its_schema():
    repo = make_repo()
    async with connect(repo) as session:
        listed = await session.list_tools()
        tools = {tool.name: tool for tool in listed.tools}
        expect(sorted(tools) == sorted(TOOLS), f"tools {sorted(tools)}")
        for name, (properties, required) in TOOLS.items():
            tool = tools[name]
            schema = tool.input_schema
            expect(schema.get("type") == "object", f"{name}: schema {schema}")
            expect(
                sorted(schema.get("properties", {})) == sorted(properties),
                f"{name}: properties {schema.get('properties')}",
            )
            expect(sorted(schema.get("required", [])) == sorted(required), f"{name}: required {schema}")
            expect(schema.get("additionalProperties") is False, f"{name}: additionalProperties {schema}")
            expect(len(tool.description or "") > 80, f"{name}: description {tool.description!r}")
        steps = tools["session_pause"].input_schema["properties"]["nextSteps"]
        expect(steps == {**steps, "type": "array", "items": {"type": "string"}}, f"nextSteps {steps}")
        expect(tools["session_status"].annotations.read_only_hint is True, "status is read-only")
        expect(tools["session_pause"].annotations.read_only_hint is False, "pause writes")
        expect(
            "fresh session" in tools["session_complete"].description,
            "session_complete says the next unit is a fresh session",
        )


@test
async def session_status_gives_the_units_and_the_active_session():
    repo = make_repo()
    session_id = start(repo)
    async with connect(repo) as session:
        result = await session.call_tool("session_status", {})
        expect(not result.is_error, text_of(result))
        status = result.structured_content
        expect(status["session"]["id"] == session_id, f"session {status.get('session')}")
        expect(status["spec"] == SPEC_PATH, f"spec {status.get('spec')}")
        states = [unit["state"] for unit in status["units"]]
        expect(states == ["active", "pending", "pending"], f"states {states}")
        expect(session_id in text_of(result), text_of(result))
        expect("Export an empty month" in text_of(result), text_of(result))


@test
async def without_a_session_a_tool_says_how_to_start_one():
    repo = make_repo()
    async with connect(repo) as session:
        result = await session.call_tool("session_status", {})
        expect(result.is_error, "an error without a session")
        expect("no open session" in text_of(result), text_of(result))
        expect("smallbatch run" in text_of(result), text_of(result))


@test
async def session_context_gives_the_context_load_and_its_tokens():
    repo = make_repo()
    session_id = start(repo)
    saved = record(repo, session_id)
    context = (repo / saved["contextFile"]).read_text(encoding="utf-8")
    async with connect(repo) as session:
        result = await session.call_tool("session_context", {})
        expect(not result.is_error, text_of(result))
        answer = result.structured_content
        expect(answer["text"] == context, "the context file's text")
        expect(answer["tokens"] == saved["contextTokens"], f"tokens {answer.get('tokens')}")
        expect(answer["contextFile"] == saved["contextFile"], f"file {answer.get('contextFile')}")
        expect(context.strip() in text_of(result), "the text form holds the context")


@test
async def session_checkpoint_records_the_note_head_and_time():
    repo = make_repo()
    session_id = start(repo)
    head = git(repo, "rev-parse", "HEAD")
    async with connect(repo) as session:
        result = await session.call_tool("session_checkpoint", {"note": "parser done; writer next"})
        expect(not result.is_error, text_of(result))
    saved = record(repo, session_id)
    last = saved["checkpoints"][-1]
    expect(last["note"] == "parser done; writer next", f"checkpoint {last}")
    expect(last["gitCommit"] == head, f"checkpoint {last}")
    expect(last["timestamp"], f"checkpoint {last}")
    expect(saved["status"] == "active", f"status {saved['status']}")


@test
async def scenario_1_session_pause_records_notes_and_next_steps():
    repo = make_repo()
    session_id = start(repo)
    async with connect(repo) as session:
        result = await session.call_tool(
            "session_pause",
            {"notes": "rows stream; header missing", "nextSteps": ["write the header", "test it"]},
        )
        expect(not result.is_error, text_of(result))
        expect(result.structured_content["status"] == "paused", f"{result.structured_content}")
    saved = record(repo, session_id)
    expect(saved["status"] == "paused", f"status {saved['status']}")
    expect(saved["notes"] == "rows stream; header missing", f"notes {saved['notes']}")
    expect(saved["nextSteps"] == ["write the header", "test it"], f"next {saved['nextSteps']}")


@test
async def scenario_2_complete_without_a_commit_is_a_tool_error_with_the_cli_reason():
    repo = make_repo()
    session_id = start(repo)
    refused = cli(repo, "complete", SPEC_PATH, "--summary", "x", check=False)
    expect(refused.returncode == 1, f"the CLI refuses: {refused.returncode} {refused.stderr}")
    reason = refused.stderr.strip().removeprefix("refused: ")
    async with connect(repo) as session:
        result = await session.call_tool("session_complete", {"summary": "exported"})
        expect(result.is_error, "a refusal is a tool error")
        expect(text_of(result) == reason, f"{text_of(result)!r} != {reason!r}")
    expect(record(repo, session_id)["status"] == "active", "the session stays active")


@test
async def scenario_3_complete_writes_the_summary_and_names_the_next_scenario():
    repo = make_repo()
    session_id = start(repo)
    write(repo, "src/export.rs", "pub fn export() {}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Export a month with invoices")
    async with connect(repo) as session:
        before = await session.call_tool("session_status", {})
        expect(not before.is_error, text_of(before))
        result = await session.call_tool(
            "session_complete", {"summary": "Streams rows through a CSV writer."}
        )
        expect(not result.is_error, text_of(result))
        answer = result.structured_content
        text = text_of(result)
        # The workspace has no open session now: the resources changed.
        for _ in range(50):
            if "notifications/resources/list_changed" in session.heard:
                break
            await asyncio.sleep(0.1)
        expect(
            "notifications/resources/list_changed" in session.heard, f"heard {session.heard}"
        )
        listed = await session.list_resources()
        expect(listed.resources == [], f"resources {listed.resources}")
    spec = (repo / SPEC_PATH).read_text(encoding="utf-8")
    log = spec.split("## Session log", 1)
    expect(len(log) == 2 and "Streams rows through a CSV writer." in log[1], spec)
    expect(record(repo, session_id)["status"] == "completed", "completed")
    expect(answer["next"]["unit"]["name"] == "Export an empty month", f"next {answer.get('next')}")
    expect(answer["next"]["command"] == f"smallbatch run {SPEC_PATH}", f"next {answer.get('next')}")
    expect("Export an empty month" in text and f"smallbatch run {SPEC_PATH}" in text, text)
    expect("fresh session" in text, text)


@test
async def spec_check_gives_what_check_format_json_gives():
    repo = make_repo(broken=True)
    async with connect(repo) as session:
        for arguments, args in [({}, []), ({"path": BROKEN_PATH}, [BROKEN_PATH])]:
            expected = json.loads(cli(repo, "check", *args, "--format", "json", check=False).stdout)
            result = await session.call_tool("spec_check", arguments)
            expect(not result.is_error, text_of(result))
            expect(result.structured_content == expected, f"{result.structured_content} != {expected}")
            expect(expected["errors"] >= 1, f"the broken spec has errors: {expected}")
            expect("SB001" in text_of(result), text_of(result))
        result = await session.call_tool("spec_check", {"path": "specs/none.md"})
        expect(result.is_error, "a path that does not exist")
        expect("specs/none.md" in text_of(result), text_of(result))


@test
async def scenario_4_arguments_of_the_wrong_type_name_the_argument():
    repo = make_repo()
    session_id = start(repo)
    async with connect(repo) as session:
        cases = [
            ("session_pause", {"notes": 5}, "`notes`"),
            ("session_pause", {"notes": "n", "nextSteps": "one"}, "`nextSteps`"),
            ("session_pause", {"notes": "n", "nextSteps": ["a", 2]}, "`nextSteps`"),
            ("session_pause", {}, "`notes`"),
            ("session_checkpoint", {"note": ["a"]}, "`note`"),
            ("session_complete", {"summary": False}, "`summary`"),
            ("spec_check", {"path": 1}, "`path`"),
            ("session_status", {"verbose": True}, "`verbose`"),
        ]
        for name, arguments, named in cases:
            result = await session.call_tool(name, arguments)
            expect(result.is_error, f"{name} {arguments}: a tool error")
            expect(named in text_of(result), f"{name} {arguments}: {text_of(result)}")
            after = await session.call_tool("session_status", {})
            expect(not after.is_error, f"answered after {name} {arguments}: {text_of(after)}")
    expect(record(repo, session_id)["status"] == "active", "nothing was paused")


@test
async def an_unknown_tool_is_a_protocol_error_and_the_server_goes_on():
    repo = make_repo()
    async with connect(repo) as session:
        try:
            await session.call_tool("session_start", {})
        except MCPError as error:
            expect("session_start" in str(error), f"{error}")
        else:
            raise AssertionError("an unknown tool must be a protocol error")
        listed = await session.list_tools()
        expect(len(listed.tools) == len(TOOLS), "answered after the unknown tool")


@test
async def malformed_json_rpc_is_skipped_or_answered_and_the_server_goes_on():
    repo = make_repo()
    process = await asyncio.create_subprocess_exec(
        BIN, "mcp", cwd=repo, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )

    async def send(line: bytes) -> None:
        process.stdin.write(line + b"\n")
        await process.stdin.drain()

    others: list[dict] = []

    async def answer(id: int) -> dict:
        while True:
            line = await asyncio.wait_for(process.stdout.readline(), 30)
            expect(line != b"", "the server closed its output")
            message = json.loads(line)
            if message.get("id") == id:
                return message
            others.append(message)

    try:
        init = {"protocolVersion": "2025-11-25", "capabilities": {},
                "clientInfo": {"name": "raw", "version": "1"}}
        await send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}).encode())
        expect("result" in await answer(1), "initialize answered")
        await send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())
        await send(b"{this is not json")
        await send(b"\xff\xfe not utf-8")
        await send(b'{"jsonrpc": "2.0", "id": 7, "method": 42}')
        await send(b'[1, 2, 3]')
        await send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).encode())
        listed = await answer(2)
        expect(len(listed["result"]["tools"]) == len(TOOLS), f"tools/list answered: {listed}")
        codes = [m.get("error", {}).get("code") for m in others]
        expect(-32600 in codes, f"JSON that is no message is answered -32600: {others}")
        expect(process.returncode is None, "the server is still running")
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except asyncio.TimeoutError:
            process.kill()
            raise AssertionError("the server did not exit at the end of its input")
    expect(process.returncode == 0, f"exit {process.returncode} at the end of input")


@test
async def resources_are_the_sessions_context_and_record():
    repo = make_repo()
    session_id = start(repo)
    saved = record(repo, session_id)
    async with connect(repo) as session:
        listed = await session.list_resources()
        uris = sorted(str(resource.uri) for resource in listed.resources)
        expected = sorted(
            [f"smallbatch://session/{session_id}/context", f"smallbatch://session/{session_id}/record"]
        )
        expect(uris == expected, f"resources {uris}")
        context = await session.read_resource(f"smallbatch://session/{session_id}/context")
        expect(
            context.contents[0].text == (repo / saved["contextFile"]).read_text(encoding="utf-8"),
            "the context file",
        )
        expect(context.contents[0].mime_type == "text/markdown", f"{context.contents[0].mime_type}")
        held = await session.read_resource(f"smallbatch://session/{session_id}/record")
        expect(json.loads(held.contents[0].text)["id"] == session_id, "the record")
        try:
            await session.read_resource("smallbatch://session/other-20260101-001/record")
        except MCPError as error:
            expect("other-20260101-001" in str(error), f"{error}")
        else:
            raise AssertionError("a resource of another session is not served")


@test
async def the_session_named_in_the_environment_is_the_one_used():
    repo = make_repo()
    session_id = start(repo)
    async with connect(repo, {"SMALLBATCH_SESSION": session_id}) as session:
        result = await session.call_tool("session_status", {})
        expect(result.structured_content["session"]["id"] == session_id, text_of(result))
    async with connect(repo, {"SMALLBATCH_SESSION": "001-export-20200101-009"}) as session:
        result = await session.call_tool("session_checkpoint", {"note": "n"})
        expect(result.is_error, "an unknown session")
        expect("001-export-20200101-009" in text_of(result), text_of(result))


def agent_config(action: list[str]) -> str:
    command = [sys.executable, str(HERE / "agent.py")]
    return (
        "[run]\ncheckpoint_minutes = 0\n\n[agents]\ndefault = \"stand-in\"\n"
        f"stand-in = {json.dumps(command)}\n\n[mcp]\n"
        f"stand-in = {json.dumps(['--mcp-config', '{mcp_config}', *action])}\n"
    )


@test
async def scenario_5_run_hands_the_agent_the_server_and_its_checkpoint_is_recorded():
    repo = make_repo(agent_config(["checkpoint", "wrote the CSV writer"]))
    done = cli(repo, "run", SPEC_PATH, "--format", "json", check=False)
    expect(done.returncode == 0, f"run: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    outcome = json.loads(done.stdout)
    session_id = outcome["sessionId"]
    saved = record(repo, session_id)
    notes = [checkpoint.get("note") for checkpoint in saved["checkpoints"]]
    expect("wrote the CSV writer" in notes, f"checkpoints {saved['checkpoints']}")
    config_file = repo / ".smallbatch" / "sessions" / SPEC_ID / f"{session_id}.mcp.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    server = config["mcpServers"]["smallbatch"]
    expect(server["args"] == ["mcp"], f"server {server}")
    expect(server["env"] == {"SMALLBATCH_SESSION": session_id}, f"server {server}")
    handed = ["--mcp-config", str(config_file), "checkpoint", "wrote the CSV writer"]
    expect(outcome["agentCommand"][2:] == handed, f"command {outcome['agentCommand']}")
    log = (repo / ".smallbatch" / "sessions" / SPEC_ID / f"{session_id}.log").read_text()
    expect("agent: checkpoint:" in log, log)


@test
async def scenario_5_an_agent_pauses_its_own_session_through_the_server():
    repo = make_repo(agent_config(["pause", "header done; rows next", "stream the rows"]))
    done = cli(repo, "run", SPEC_PATH, "--format", "json", check=False)
    expect(done.returncode == 0, f"run: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    saved = record(repo, json.loads(done.stdout)["sessionId"])
    expect(saved["status"] == "paused", f"status {saved['status']}")
    expect(saved["notes"] == "header done; rows next", f"notes {saved['notes']}")
    expect(saved["nextSteps"] == ["stream the rows"], f"next {saved['nextSteps']}")


@test
async def an_agent_without_an_mcp_entry_runs_as_configured():
    command = [sys.executable, "-c", "print('no server asked for')"]
    config = f"[agents]\ndefault = \"plain\"\nplain = {json.dumps(command)}\n"
    repo = make_repo(config)
    done = cli(repo, "run", SPEC_PATH, "--format", "json", check=False)
    expect(done.returncode == 0, f"run: exit {done.returncode}\n{done.stderr}")
    outcome = json.loads(done.stdout)
    expect(outcome["agentCommand"] == command, f"command {outcome['agentCommand']}")
    folder = repo / ".smallbatch" / "sessions" / SPEC_ID
    expect(not list(folder.glob("*.mcp.json")), f"no MCP configuration: {list(folder.iterdir())}")


async def run_all() -> int:
    passed = failed = 0
    only = os.environ.get("MCP_TEST")
    for fn in TESTS:
        if only and only not in fn.__name__:
            continue
        try:
            await asyncio.wait_for(fn(), TEST_TIMEOUT)
        except BaseException as error:  # noqa: BLE001 — every failure is reported, then the next test runs
            if isinstance(error, KeyboardInterrupt):
                raise
            failed += 1
            print(f"FAIL {fn.__name__}: {type(error).__name__}: {error}")
            traceback.print_exc(limit=3, file=sys.stdout)
        else:
            passed += 1
            print(f"ok   {fn.__name__}")
    if os.environ.get("KEEP_WORK") == "1":
        print(f"mcp: work folders kept: {' '.join(map(str, REPOS))}")
    else:
        for repo in REPOS:
            shutil.rmtree(repo, ignore_errors=True)
    print(f"mcp: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(run_all()))
