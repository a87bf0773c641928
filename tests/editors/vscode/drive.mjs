// Drives code-server (VS Code in a browser) in headless Chromium with the
// extension installed, on a git-repository fixture, and checks the
// scenarios of the VS Code extension through VS Code's own API (the probe
// extension answers requests written as files) and on screen.
//
// Environment: CODE_SERVER, CHROMIUM, SMALLBATCH_VSIX, PROBE_VSIX,
// SMALLBATCH_SERVER (the binary), SYNTAXES (the repository's grammars),
// WORK (a temporary folder), SHOTS (where screenshots go), BENCH (how many
// activations to time; 0 for none).

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { chromium } from "playwright-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`drive.mjs: set ${name}`);
  }
  return value;
};
const CODE_SERVER = env("CODE_SERVER");
const CHROMIUM = env("CHROMIUM");
const SERVER = env("SMALLBATCH_SERVER");
const WORK = env("WORK");
const SHOTS = env("SHOTS");
const BENCH = Number(process.env.BENCH || "0");
const REPO_SHOT = process.env.REPO_SCREENSHOT || "";

const SPEC = "specs/001-export/README.md";
const BROKEN = "specs/002-import/README.md";
const SCENARIO_1 = "Export a month's invoices";
const SCENARIO_2 = "Export an empty month";
const NOTES = "API done, tests next";

const results = [];
/** The page of the running code-server, for a screenshot of each failure. */
const current = { page: undefined };
const children = [];

function log(line) {
  process.stdout.write(`${line}\n`);
}

/** Runs one check; a thrown error is its failure. */
async function check(name, run) {
  try {
    await run();
    results.push({ name, ok: true });
    log(`ok   ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    if (current.page) {
      await current.page.screenshot({ path: path.join(SHOTS, `failed-${results.length}.png`) }).catch(() => {});
    }
    log(`FAIL ${name}\n     ${String(error && error.message ? error.message : error).replaceAll("\n", "\n     ")}`);
  }
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it gives a truthy value. The failure names the last
 * value, or what the probe last passed to its `see` argument.
 */
async function until(what, probe, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  let seen;
  const see = (value) => {
    seen = value;
    return value;
  };
  for (;;) {
    try {
      last = await probe(see);
      if (last) {
        return last;
      }
    } catch (error) {
      last = error.message;
    }
    if (seen !== undefined) {
      last = seen;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeout / 1000} s; last seen: ${JSON.stringify(last)?.slice(0, 1500)}`);
    }
    await sleep(200);
  }
}

// ---------------------------------------------------------------- fixture

// The workspace is shared with the Neovim test: tests/editors/fixture/.
const FIXTURE = env("FIXTURE");
const SPEC_TEXT = fs.readFileSync(path.join(FIXTURE, SPEC), "utf8");
const BROKEN_TEXT = fs.readFileSync(path.join(FIXTURE, BROKEN), "utf8");
const LIB_TEXT = fs.readFileSync(path.join(FIXTURE, "src/lib.rs"), "utf8");

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
};

function git(root, ...args) {
  return execFileSync("git", args, { cwd: root, env: gitEnv, encoding: "utf8" }).trim();
}

function write(root, rel, text) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function fixture(name) {
  const root = path.join(WORK, name);
  write(root, SPEC, SPEC_TEXT);
  write(root, BROKEN, BROKEN_TEXT);
  write(root, "src/lib.rs", LIB_TEXT);
  git(root, "init", "-q", "-b", "main");
  git(root, "add", ".");
  git(root, "commit", "-q", "-m", "Initial specs");
  return fs.realpathSync(root);
}

/** The session records of the fixture, newest last. */
function records(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith(".json")) {
        try {
          found.push(JSON.parse(fs.readFileSync(full, "utf8")));
        } catch {
          // Being written.
        }
      }
    }
  };
  walk(path.join(root, ".smallbatch", "sessions"));
  return found.sort((a, b) => a.id.localeCompare(b.id));
}

// ------------------------------------------------------------------ probe

const PROBE_DIR = path.join(WORK, "probe");
fs.mkdirSync(PROBE_DIR, { recursive: true });
let sequence = 0;

/** Asks the probe extension; its answer comes from VS Code's API. */
async function probe(op, params = {}, timeout = 20_000) {
  const n = ++sequence;
  const request = path.join(PROBE_DIR, `req-${n}.json`);
  fs.writeFileSync(`${request}.tmp`, JSON.stringify({ op, ...params }));
  fs.renameSync(`${request}.tmp`, request);
  const response = path.join(PROBE_DIR, `res-${n}.json`);
  const deadline = Date.now() + timeout;
  while (!fs.existsSync(response)) {
    if (Date.now() > deadline) {
      throw new Error(`the probe did not answer ${op} within ${timeout / 1000} s (is the extension host running?)`);
    }
    await sleep(50);
  }
  const answer = JSON.parse(fs.readFileSync(response, "utf8"));
  if (!answer.ok) {
    throw new Error(`probe ${op}: ${answer.error}`);
  }
  return answer.value;
}

// ------------------------------------------------------------ code-server

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

process.on("exit", () => children.forEach(killGroup));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => process.exit(130));
}

/** The folders of one code-server profile, with its user settings. */
function profile(name, settings) {
  const dir = path.join(WORK, name);
  const folders = {
    dir,
    user: path.join(dir, "user"),
    ext: path.join(dir, "extensions"),
    config: path.join(dir, "config.yaml"),
    xdg: path.join(dir, "xdg"),
    chromium: path.join(dir, "chromium"),
    log: path.join(dir, "code-server.log"),
  };
  fs.mkdirSync(path.join(folders.user, "User"), { recursive: true });
  fs.mkdirSync(path.join(folders.user, "Machine"), { recursive: true });
  fs.mkdirSync(folders.ext, { recursive: true });
  fs.mkdirSync(folders.xdg, { recursive: true });
  fs.writeFileSync(folders.config, "auth: none\ncert: false\n");
  // The smallbatch settings are machine settings: in code-server (a remote
  // window) they are read from Machine/settings.json.
  fs.writeFileSync(path.join(folders.user, "Machine", "settings.json"), JSON.stringify(settings, null, 2));
  fs.writeFileSync(
    path.join(folders.user, "User", "settings.json"),
    JSON.stringify(
      {
        "chat.disableAIFeatures": true,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.enableExperiments": false,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "git.enabled": false,
        "security.workspace.trust.enabled": false,
        "editor.codeLens": true,
        "window.restoreWindows": "all",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "editor.minimap.enabled": false,
        ...settings,
      },
      null,
      2,
    ),
  );
  return folders;
}

function codeServerEnv(folders) {
  return {
    ...process.env,
    HOME: folders.xdg,
    XDG_CONFIG_HOME: path.join(folders.xdg, "config"),
    XDG_DATA_HOME: path.join(folders.xdg, "data"),
    XDG_STATE_HOME: path.join(folders.xdg, "state"),
    XDG_CACHE_HOME: path.join(folders.xdg, "cache"),
    SMALLBATCH_PROBE_DIR: PROBE_DIR,
  };
}

function install(folders, vsix) {
  execFileSync(
    CODE_SERVER,
    [
      "--config", folders.config,
      "--user-data-dir", folders.user,
      "--extensions-dir", folders.ext,
      "--install-extension", vsix,
    ],
    { env: codeServerEnv(folders), stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** code-server on `workspace` and a browser page on it, ready. */
async function launch(folders, workspace) {
  const port = await freePort();
  const logFile = fs.openSync(folders.log, "a");
  const child = spawn(
    CODE_SERVER,
    [
      "--bind-addr", `127.0.0.1:${port}`,
      "--auth", "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--config", folders.config,
      "--user-data-dir", folders.user,
      "--extensions-dir", folders.ext,
      workspace,
    ],
    { detached: true, env: codeServerEnv(folders), stdio: ["ignore", logFile, logFile] },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await until("code-server answers", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000);
  const browser = await chromium.launchPersistentContext(folders.chromium, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  const close = async () => {
    await browser.close().catch(() => {});
    killGroup(child);
  };
  return { page, close, url };
}

async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * F1, the command's title, Enter: as a user runs a palette command. A
 * palette that closes before Enter (an editor opening late takes the focus)
 * is opened again.
 */
async function palette(page, title) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press("Escape");
      await page.keyboard.press("F1");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ state: "visible", timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page
        .locator(".quick-input-widget .monaco-list-row", { hasText: title })
        .first()
        .waitFor({ state: "visible", timeout: 5_000 });
      await page.keyboard.press("Enter");
      return;
    } catch (error) {
      if (attempt === 3) {
        throw new Error(`the palette does not run "${title}": ${error.message.split("\n")[0]}`);
      }
      await sleep(1000);
    }
  }
}

/** Types `text` into the input box that shows `prompt`, then Enter. */
async function answerInput(page, prompt, text) {
  await page.locator(".quick-input-widget", { hasText: prompt }).waitFor({ state: "visible", timeout: 10_000 });
  const input = page.locator(".quick-input-widget input");
  await input.fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget", { hasText: prompt }).waitFor({ state: "hidden", timeout: 10_000 });
}

/** The lenses' texts on screen, with the title of the editor they are in. */
async function lensesOnScreen(page) {
  return page.locator(".codelens-decoration").evaluateAll((lenses) =>
    lenses.map((l) => {
      const group = l.closest(".editor-group-container");
      const tab = group && group.querySelector(".tab.active");
      return `${tab ? tab.getAttribute("aria-label") : "?"}: ${l.textContent}`;
    }),
  );
}

async function statusBarText(page) {
  return (await page.locator(".statusbar").innerText()).replaceAll("\n", " ");
}

function lineOf(text, needle) {
  const line = text.split("\n").findIndex((l) => l.includes(needle));
  assert(line >= 0, `no line with ${needle}`);
  return line;
}

// ------------------------------------------------------------- highlighting

const FEATURE_EN = `@export @csv
Feature: Invoice export
  Scenario Outline: Export <count> invoices
    Given a month with <count> invoices
    When I export it with:
      """json
      {"month": "2026-11"}
      """
    Then I get the rows:
      | header | rows    |
      | yes    | <count> |

    Examples:
      | count |
      | 3     |
`;

const FEATURE_FR = `# language: fr
@export
Fonctionnalité: Export des factures
  Scénario: Exporter un mois
    Soit un mois avec <nombre> factures
    Quand j'exporte le mois avec :
      """
      mois de novembre
      """
    Alors j'obtiens les lignes :
      | colonne | valeur |
      | lignes  | 3      |
`;

const MARKDOWN_GHERKIN = `# Gherkin in a spec

Plain text before the fence: Feature: not a keyword here.

\`\`\`gherkin
@export
Feature: Invoice export
  Scenario Outline: Export <count> invoices
    Given a month with <count> invoices
    When I export it with:
      """
      all of them
      """
    Then I get:
      | header | rows    |
      | yes    | <count> |
\`\`\`
`;

/**
 * Where `token` is on the line of `text` holding `needle` (its second
 * character, or its only one), and the text the inspect widget shows for
 * the token there.
 */
function spot(text, needle, token = needle, shows = token) {
  const line = lineOf(text, needle);
  const character = text.split("\n")[line].indexOf(token);
  assert(character >= 0, `no ${token} on the line of ${needle}`);
  return { line, character: character + (token.length > 1 ? 1 : 0), token: shows };
}

/**
 * The token under the cursor and its TextMate scopes (innermost first), as
 * the widget of Developer: Inspect Editor Tokens and Scopes shows them.
 */
async function inspected(page) {
  return page.locator(".token-inspect-widget").evaluate((widget) => {
    const token = widget.querySelector(".tiw-token");
    const key = [...widget.querySelectorAll("td")].find((td) => td.textContent.trim() === "textmate scopes");
    const value = key && key.nextElementSibling;
    return {
      // The widget shows spaces as middle dots.
      token: token ? token.firstChild.textContent.replaceAll("\u00b7", " ") : "",
      scopes: value ? value.innerText.split("\n").map((s) => s.trim()).filter(Boolean) : [],
    };
  }, undefined, { timeout: 2_000 });
}

/**
 * Opens `file` in the inspect widget and checks, for each spot, that the
 * token there has the scopes of `want` (and none of `unwanted`). Returns
 * the problems, each with the scopes the widget showed.
 */
async function checkScopes(page, file, spots) {
  await probe("open", { path: file, line: spots[0].line, character: spots[0].character });
  await probe("command", { command: "editor.action.inspectTMScopes" });
  const problems = [];
  for (const [i, s] of spots.entries()) {
    await probe("open", { path: file, line: s.line, character: s.character });
    let seen;
    try {
      seen = await until(`the inspect widget on ${s.token} (${path.basename(file)}:${s.line + 1})`, async (see) => {
        const shown = see(await inspected(page));
        // The server's semantic tokens set the widget's token bounds: it may
        // show `Feature` where the TextMate token is `Feature:`.
        const token = shown.token.trim();
        const same = shown.token.includes(s.token) || (token.length > 1 && s.token.includes(token));
        return same && shown.scopes.length > 0 && shown;
      }, 8_000);
    } catch (error) {
      // The widget shows nothing here: it will not elsewhere in this file.
      problems.push(`${error.message} (${spots.length - i - 1} more tokens of ${path.basename(file)} not looked at)`);
      break;
    }
    const missing = (s.want || []).filter((scope) => !seen.scopes.includes(scope));
    const extra = (s.unwanted || []).filter((scope) => seen.scopes.includes(scope));
    if (missing.length > 0 || extra.length > 0) {
      problems.push(
        `${path.basename(file)}:${s.line + 1} ${JSON.stringify(s.token)}: scopes ${JSON.stringify(seen.scopes)}` +
          (missing.length ? `, without ${missing.join(", ")}` : "") +
          (extra.length ? `, with ${extra.join(", ")}` : ""),
      );
    }
  }
  await page.keyboard.press("Escape");
  return problems;
}

/** The entry of a .vsix, as text. */
function vsixEntry(vsix, entry) {
  return execFileSync("unzip", ["-p", vsix, entry], { encoding: "utf8", maxBuffer: 64 << 20 });
}

// -------------------------------------------------------------- the runs

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const root = fixture("workspace");
  const specPath = path.join(root, SPEC);
  const brokenPath = path.join(root, BROKEN);
  const agentArgs = path.join(WORK, "agent-args.txt");
  const main = profile("main", {
    "smallbatch.server.path": SERVER,
    // The agent: writes its arguments, one a line, where the test reads them.
    "smallbatch.agent.command": ["/bin/sh", "-c", 'printf "%s\\n" "$@" > "$0"', agentArgs, "{scenario}", "{context}"],
  });
  install(main, env("SMALLBATCH_VSIX"));
  install(main, env("PROBE_VSIX"));

  log(`vscode: code-server on ${root}`);
  let session = await launch(main, root);
  let page = session.page;
  current.page = page;
  try {
    await until("the probe extension runs", () => fs.existsSync(path.join(PROBE_DIR, "probe-ready")), 60_000);
    await check("the server runs (the extension found smallbatch.server.path)", async () => {
      await until("the client is running", async () => (await probe("state")).running === true);
    });
    await probe("open", { path: brokenPath });
    await probe("open", { path: specPath, line: lineOf(SPEC_TEXT, `Scenario: ${SCENARIO_1}`) + 1, character: 4 });

    // Scenario 4, first half: SB010 in Problems (before it is fixed below).
    await check("scenario 4: SB010 on a spec with no Scenario order, in the Problems list", async () => {
      const diagnostics = await until("SB010 on the broken spec", async () => {
        const state = await probe("state", { uris: [brokenPath] });
        const found = state.diagnostics[brokenPath].filter((d) => d.code === "SB010");
        return found.length > 0 && found;
      });
      assert(diagnostics[0].severity === 0, `SB010 is an error; got severity ${diagnostics[0].severity}`);
      await page.keyboard.press("Control+Shift+M");
      await until("SB010 on screen in the Problems panel", async () =>
        (await page.locator(".markers-panel").innerText({ timeout: 2000 })).includes("SB010"),
      );
    });

    await check("the code lenses over the scenarios, with ▶ Start session on the next unit", async () => {
      const scenario1 = lineOf(SPEC_TEXT, `Scenario: ${SCENARIO_1}`);
      const lenses = await until("the lenses of the spec", async () => {
        const found = await probe("lenses", { path: specPath });
        return found.some((l) => l.title === "▶ Start session") && found;
      });
      const start = lenses.filter((l) => l.title === "▶ Start session");
      assert(start.length === 1 && start[0].line === scenario1, `▶ Start session only on line ${scenario1}: ${JSON.stringify(lenses)}`);
      assert(start[0].command === "smallbatch.start", `the lens runs smallbatch.start: ${JSON.stringify(start[0])}`);
      assert(lenses.some((l) => l.line === lineOf(SPEC_TEXT, "# Export invoices") && l.title.startsWith("0/3 done")), `the title lens: ${JSON.stringify(lenses)}`);
      await until("▶ Start session on screen, once", async (see) =>
        see(await lensesOnScreen(page)).filter((t) => t.includes("▶ Start session")).length === 1,
      );
    });

    // Scenario 1.
    let first;
    await check("scenario 1: Start Session from the palette with the cursor in scenario 1", async () => {
      await probe("open", { path: specPath, line: lineOf(SPEC_TEXT, "Given a month with 3 invoices"), character: 6 });
      await palette(page, "Smallbatch: Start Session");
      first = await until("an active record for scenario 1", () =>
        records(root).find((r) => r.status === "active" && r.unit.name === SCENARIO_1),
      );
      const context = path.resolve(root, first.contextFile);
      await until("the context document is open", async () => (await probe("state")).visible.includes(context));
      await until(`the status bar names "${SCENARIO_1}"`, async () => (await statusBarText(page)).includes(SCENARIO_1));
      const state = await probe("state");
      assert(state.terminals.includes(`Smallbatch: ${first.id}`), `a terminal named after the session: ${state.terminals}`);
      const args = await until("the agent wrote its arguments", () =>
        fs.existsSync(agentArgs) && fs.readFileSync(agentArgs, "utf8"),
      );
      assert(
        args === `${SCENARIO_1}\n${context}\n`,
        `the agent gets the scenario and the context file as two arguments, no shell: ${JSON.stringify(args)}`,
      );
      await until("✓ Complete and ⏸ Pause on screen", async () =>
        (await page.locator(".codelens-decoration", { hasText: "⏸ Pause" }).count()) === 1,
      );
      await shot(page, "scenario-1-started");
      // The picture of README.md: the session's spec with its lenses, the
      // broken spec beside it, the Problems list and the status bar.
      await probe("open", { path: brokenPath, column: 2 });
      await probe("open", { path: specPath, column: 1, line: lineOf(SPEC_TEXT, "Given a month with 3 invoices") });
      await probe("command", { command: "workbench.actions.view.problems" });
      await until("SB010 in the Problems list", async () =>
        (await page.locator(".markers-panel").innerText({ timeout: 2000 })).includes("SB010"),
      );
      await shot(page, "readme");
      if (REPO_SHOT) {
        await page.screenshot({ path: REPO_SHOT, type: "png" });
      }
    });

    // Scenario 4, second half: the quick fix.
    await check("scenario 4: the SB010 quick fix inserts the order", async () => {
      await probe("open", { path: brokenPath });
      const fixed = await until("the SB010 quick fix applied", async (see) => {
        const answer = see(await probe("fix", { path: brokenPath, code: "SB010", title: "Insert scenario order" }));
        return answer.applied && answer;
      }, 10_000);
      assert(
        /## Scenario order\n+1\. Import a month\n2\. Refuse a broken file\n/.test(fixed.text),
        `the order is inserted: ${fixed.text}`,
      );
      await until("SB010 is gone", async () => {
        const state = await probe("state", { uris: [brokenPath] });
        return !state.diagnostics[brokenPath].some((d) => d.code === "SB010");
      });
      // Only the spec of the sessions stays open, so that its lenses are the only ones on screen.
      await probe("command", { command: "workbench.action.closeAllEditors" });
    });

    // Scenario 2.
    await check("scenario 2: after completing scenario 1, the ▶ Start session lens over scenario 2 starts it", async () => {
      assert(first, "scenario 1 did not start");
      write(root, "src/export.rs", "pub fn export() {}\n");
      git(root, "add", "src");
      git(root, "commit", "-q", "-m", SCENARIO_1);
      await probe("open", { path: specPath, line: 0 });
      await palette(page, "Smallbatch: Complete Session");
      await until("scenario 1 completed", () =>
        records(root).find((r) => r.id === first.id && r.status === "completed"),
      );
      await until("the completion is told, with the Session log entry offered", async () =>
        (await page.locator(".notification-toast", { hasText: "Open Session Log Entry" }).count()) > 0,
      );
      const scenario2 = lineOf(fs.readFileSync(specPath, "utf8"), `Scenario: ${SCENARIO_2}`);
      await until("▶ Start session over scenario 2", async () =>
        (await probe("lenses", { path: specPath })).some((l) => l.title === "▶ Start session" && l.line === scenario2),
      );
      // A click on the lens on screen, as a user does.
      const lens = page.locator(".codelens-decoration a", { hasText: "▶ Start session" });
      await until("one ▶ Start session lens on screen", async (see) => see(await lensesOnScreen(page)) && (await lens.count()) === 1);
      await lens.click();
      await until("an active record for scenario 2", () =>
        records(root).find((r) => r.status === "active" && r.unit.name === SCENARIO_2),
      );
      await until(`the status bar names "${SCENARIO_2}"`, async () => (await statusBarText(page)).includes(SCENARIO_2));
    });

    // Scenario 3.
    await check(`scenario 3: Pause Session with the notes "${NOTES}" pauses, and the lens shows ⟳ Resume`, async () => {
      const open = records(root).find((r) => r.status === "active" && r.unit.name === SCENARIO_2);
      assert(open, "no active session on scenario 2");
      await probe("open", { path: specPath, line: 0 });
      await palette(page, "Smallbatch: Pause Session");
      await answerInput(page, "Notes for whoever resumes", NOTES);
      await answerInput(page, "Next steps", "write the empty-month test");
      const paused = await until("the record paused", () =>
        records(root).find((r) => r.id === open.id && r.status === "paused"),
      );
      assert(paused.notes === NOTES, `the notes: ${JSON.stringify(paused.notes)}`);
      assert(
        JSON.stringify(paused.nextSteps) === JSON.stringify(["write the empty-month test"]),
        `the next steps: ${JSON.stringify(paused.nextSteps)}`,
      );
      const scenario2 = lineOf(fs.readFileSync(specPath, "utf8"), `Scenario: ${SCENARIO_2}`);
      await until("⟳ Resume over scenario 2", async () =>
        (await probe("lenses", { path: specPath })).some((l) => l.title === "⟳ Resume" && l.line === scenario2),
      );
      await until("⟳ Resume on screen", async () =>
        (await page.locator(".codelens-decoration", { hasText: "⟳ Resume" }).count()) === 1,
      );
      await until("the status bar shows the pause", async () => (await statusBarText(page)).includes(`${SCENARIO_2} · paused`));
      await shot(page, "scenario-3-paused");
    });

    // Scenario 6.
    await check("scenario 6: the package contributes the Gherkin grammar and its markdown injection, with syntaxes/ inside", async () => {
      const vsix = env("SMALLBATCH_VSIX");
      const listing = execFileSync("unzip", ["-l", vsix], { encoding: "utf8" });
      const problems = [];
      for (const name of ["gherkin.tmLanguage.json", "gherkin-markdown-injection.tmLanguage.json"]) {
        if (!listing.includes(` extension/syntaxes/${name}\n`)) {
          problems.push(`extension/syntaxes/${name} is not in the package`);
        } else if (vsixEntry(vsix, `extension/syntaxes/${name}`) !== fs.readFileSync(path.join(env("SYNTAXES"), name), "utf8")) {
          problems.push(`extension/syntaxes/${name} differs from syntaxes/${name}`);
        }
      }
      const grammars = JSON.parse(vsixEntry(vsix, "extension/package.json")).contributes?.grammars ?? [];
      const gherkin = grammars.find((g) => g.scopeName === "source.gherkin");
      if (!gherkin || gherkin.language !== "feature" || gherkin.path !== "./syntaxes/gherkin.tmLanguage.json") {
        problems.push(`no grammar source.gherkin for the language feature at ./syntaxes/gherkin.tmLanguage.json`);
      }
      const injection = grammars.find((g) => g.scopeName === "markdown.gherkin.codeblock");
      if (
        !injection ||
        injection.path !== "./syntaxes/gherkin-markdown-injection.tmLanguage.json" ||
        JSON.stringify(injection.injectTo) !== JSON.stringify(["text.html.markdown"]) ||
        injection.embeddedLanguages?.["meta.embedded.block.gherkin"] !== "feature"
      ) {
        problems.push("no grammar markdown.gherkin.codeblock injected into text.html.markdown, embedding meta.embedded.block.gherkin as feature");
      }
      assert(problems.length === 0, `${problems.join("\n")}\ncontributes.grammars: ${JSON.stringify(grammars)}`);
    });

    await check("scenario 6: Gherkin scopes on screen in a .feature file (English, # language: fr) and in a ```gherkin block", async () => {
      const en = path.join(root, "features/export.feature");
      const fr = path.join(root, "features/export-fr.feature");
      const md = path.join(root, "docs/gherkin.md");
      write(root, "features/export.feature", FEATURE_EN);
      write(root, "features/export-fr.feature", FEATURE_FR);
      write(root, "docs/gherkin.md", MARKDOWN_GHERKIN);
      const step = ["keyword.other.step.gherkin", "meta.step.gherkin"];
      const keywords = ["keyword.control.feature.gherkin", "keyword.control.scenario.gherkin", "keyword.other.step.gherkin"];
      const problems = [];
      problems.push(...await checkScopes(page, en, [
        { ...spot(FEATURE_EN, "Feature:"), want: ["keyword.control.feature.gherkin", "source.gherkin"] },
        { ...spot(FEATURE_EN, "@export", "export"), want: ["entity.name.tag.gherkin"] },
        { ...spot(FEATURE_EN, "Scenario Outline:"), want: ["keyword.control.scenario.outline.gherkin"] },
        { ...spot(FEATURE_EN, "Given"), want: step },
        { ...spot(FEATURE_EN, "Given", "<count>"), want: ["variable.parameter.placeholder.gherkin"] },
        { ...spot(FEATURE_EN, "Given", "invoices"), unwanted: keywords },
        { ...spot(FEATURE_EN, '"""json', '"""'), want: ["punctuation.definition.string.begin.gherkin"] },
        { ...spot(FEATURE_EN, '"""json', "json"), want: ["entity.name.type.media-type.gherkin"] },
        { ...spot(FEATURE_EN, "| header", "|"), want: ["punctuation.separator.table.gherkin", "meta.table.row.gherkin"] },
        { ...spot(FEATURE_EN, "| header", "header"), want: ["string.unquoted.cell.gherkin"] },
        { ...spot(FEATURE_EN, "| yes", "<count>"), want: ["variable.parameter.placeholder.gherkin"] },
        { ...spot(FEATURE_EN, "Examples:"), want: ["keyword.control.examples.gherkin"] },
      ]));
      problems.push(...await checkScopes(page, fr, [
        { ...spot(FEATURE_FR, "Fonctionnalité:"), want: ["keyword.control.feature.gherkin", "source.gherkin"] },
        { ...spot(FEATURE_FR, "# language: fr", "fr"), want: ["constant.other.language-code.gherkin"] },
        { ...spot(FEATURE_FR, "@export", "export"), want: ["entity.name.tag.gherkin"] },
        { ...spot(FEATURE_FR, "Scénario:"), want: ["keyword.control.scenario.gherkin"] },
        { ...spot(FEATURE_FR, "Soit"), want: step },
        { ...spot(FEATURE_FR, "Soit", "<nombre>"), want: ["variable.parameter.placeholder.gherkin"] },
        { ...spot(FEATURE_FR, "Quand"), want: step },
        { ...spot(FEATURE_FR, '"""', '"""'), want: ["punctuation.definition.string.begin.gherkin"] },
        { ...spot(FEATURE_FR, "mois de novembre"), want: ["string.quoted.docstring.gherkin"] },
        { ...spot(FEATURE_FR, "Alors"), want: step },
        { ...spot(FEATURE_FR, "| colonne", "|"), want: ["punctuation.separator.table.gherkin"] },
        { ...spot(FEATURE_FR, "| colonne", "colonne"), want: ["string.unquoted.cell.gherkin"] },
      ]));
      const fence = "meta.embedded.block.gherkin";
      problems.push(...await checkScopes(page, md, [
        { ...spot(MARKDOWN_GHERKIN, "Feature: not", "Feature:", "Plain text"), unwanted: [...keywords, fence] },
        { ...spot(MARKDOWN_GHERKIN, "Feature: Invoice", "Feature:"), want: ["keyword.control.feature.gherkin", fence, "text.html.markdown"] },
        { ...spot(MARKDOWN_GHERKIN, "@export", "export"), want: ["entity.name.tag.gherkin", fence] },
        { ...spot(MARKDOWN_GHERKIN, "Given"), want: [...step, fence] },
        { ...spot(MARKDOWN_GHERKIN, "Given", "<count>"), want: ["variable.parameter.placeholder.gherkin", fence] },
        { ...spot(MARKDOWN_GHERKIN, '      """', '"""'), want: ["punctuation.definition.string.begin.gherkin", fence] },
        { ...spot(MARKDOWN_GHERKIN, "| header", "|"), want: ["punctuation.separator.table.gherkin", fence] },
        { ...spot(MARKDOWN_GHERKIN, "| header", "header"), want: ["string.unquoted.cell.gherkin", fence] },
      ]));
      assert(problems.length === 0, problems.join("\n"));
      await shot(page, "scenario-6-scopes");
    });

    if (BENCH > 0) {
      const times = [];
      for (let i = 0; i < BENCH; i++) {
        const before = (await probe("state")).timings.activated;
        await page.reload();
        await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
        const timings = await until("a new activation with its first diagnostics", async () => {
          const state = await probe("state");
          return state.timings.activated !== before && state.timings.firstDiagnostics && state.timings;
        }, 60_000);
        times.push(timings.firstDiagnostics - timings.activated);
      }
      const sorted = [...times].sort((a, b) => a - b);
      log(`vscode: activation to first diagnostics, ms: ${times.join(", ")}; median ${sorted[Math.floor(sorted.length / 2)]}`);
    }
  } finally {
    await shot(page, "main-last").catch(() => {});
    await session.close();
  }

  // Scenario 5: a second code-server whose server path names a missing file.
  const missing = path.join(WORK, "no-such-folder", "smallbatch");
  const broken = profile("missing-server", { "smallbatch.server.path": missing });
  install(broken, env("SMALLBATCH_VSIX"));
  install(broken, env("PROBE_VSIX"));
  fs.rmSync(path.join(PROBE_DIR, "probe-ready"), { force: true });
  const root5 = fixture("workspace-5");
  session = await launch(broken, root5);
  page = session.page;
  current.page = page;
  try {
    await check("scenario 5: a missing server path gives one error naming it, with the install steps, and the extension host keeps running", async () => {
      await until("the probe extension runs", () => fs.existsSync(path.join(PROBE_DIR, "probe-ready")), 60_000);
      await probe("open", { path: path.join(root5, SPEC) });
      const toast = page.locator(".notification-toast", { hasText: missing });
      await until("the error on screen", async () => (await toast.count()) === 1);
      const text = await toast.innerText();
      assert(text.includes("Install Steps") && text.includes("Open Setting"), `its buttons: ${JSON.stringify(text)}`);
      // Time for a retry loop to show itself, if there were one.
      await sleep(3000);
      const state = await probe("state");
      assert(state.running === false, "no server runs");
      assert(state.problems.length === 1 && state.problems[0].includes(missing), `one problem, naming the path: ${JSON.stringify(state.problems)}`);
      assert(!/\n\s+at /.test(state.problems[0]), `no stack trace: ${state.problems[0]}`);
      const errors = await page.locator(".notification-toast").allInnerTexts();
      assert(errors.filter((t) => t.includes("smallbatch") || t.includes("Smallbatch")).length === 1, `one message: ${JSON.stringify(errors)}`);
      await shot(page, "scenario-5-missing-server");
      await toast.locator(".monaco-button", { hasText: "Install Steps" }).click();
      await until("the install steps open", async () =>
        (await page.locator(".tab", { hasText: /readme/i }).count()) > 0,
      );
      // The extension host answers after all this.
      await probe("state");
    });
  } finally {
    await shot(page, "missing-server-last").catch(() => {});
    await session.close();
  }
}

try {
  await main();
} catch (error) {
  results.push({ name: "the run itself", ok: false });
  log(`FAIL the run itself\n     ${error && error.stack ? error.stack : error}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log(`vscode: screenshots in ${SHOTS}`);
log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
