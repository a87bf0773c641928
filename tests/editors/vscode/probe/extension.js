// The test's eyes inside VS Code: it answers requests the driver writes as
// files (req-N.json in $SMALLBATCH_PROBE_DIR) with what VS Code's API says
// (res-N.json). Every answer is read from VS Code, never from the server.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");

const dir = process.env.SMALLBATCH_PROBE_DIR;

function activate(context) {
  if (!dir) {
    return;
  }
  const busy = new Set();
  const timer = setInterval(() => {
    let names;
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^req-(\d+)\.json$/.exec(name);
      if (!m || busy.has(name) || names.includes(`res-${m[1]}.json`)) {
        continue;
      }
      busy.add(name);
      const request = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
      answer(request)
        .then((value) => ({ ok: true, value }), (error) => ({ ok: false, error: String(error && error.stack || error) }))
        .then((response) => {
          const tmp = path.join(dir, `res-${m[1]}.tmp`);
          fs.writeFileSync(tmp, JSON.stringify(response, null, 2));
          fs.renameSync(tmp, path.join(dir, `res-${m[1]}.json`));
        });
    }
  }, 100);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
  fs.writeFileSync(path.join(dir, "probe-ready"), String(Date.now()));
}

const file = (p) => vscode.Uri.file(p);

function diagnostic(d) {
  return {
    line: d.range.start.line,
    code: typeof d.code === "object" && d.code !== null ? String(d.code.value) : String(d.code),
    severity: d.severity,
    message: d.message,
    source: d.source,
  };
}

async function lenses(uri) {
  const found = (await vscode.commands.executeCommand("vscode.executeCodeLensProvider", uri, 100)) || [];
  return found.map((l) => ({
    line: l.range.start.line,
    title: l.command ? l.command.title : "",
    command: l.command ? l.command.command : "",
    arguments: l.command ? l.command.arguments || [] : [],
  }));
}

async function smallbatchApi() {
  const ext = vscode.extensions.getExtension("smallbatch.smallbatch");
  if (!ext) {
    return undefined;
  }
  return ext.isActive ? ext.exports : ext.activate();
}

async function answer(request) {
  switch (request.op) {
    case "state": {
      const api = await smallbatchApi();
      const uris = request.uris || [];
      const diagnostics = {};
      for (const p of uris) {
        diagnostics[p] = vscode.languages.getDiagnostics(file(p)).map(diagnostic);
      }
      return {
        problems: api ? [...api.problems] : null,
        running: api ? api.running() : null,
        timings: api ? { ...api.timings } : null,
        diagnostics,
        terminals: vscode.window.terminals.map((t) => t.name),
        visible: vscode.window.visibleTextEditors.map((e) => e.document.uri.fsPath),
        active: vscode.window.activeTextEditor ? vscode.window.activeTextEditor.document.uri.fsPath : null,
      };
    }
    case "open": {
      const document = await vscode.workspace.openTextDocument(file(request.path));
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: request.column || vscode.ViewColumn.One,
        preview: false,
      });
      if (request.line !== undefined) {
        const at = new vscode.Position(request.line, request.character || 0);
        editor.selection = new vscode.Selection(at, at);
        editor.revealRange(new vscode.Range(at, at));
      }
      return { languageId: document.languageId };
    }
    case "lenses":
      return lenses(file(request.path));
    case "runLens": {
      const all = await lenses(file(request.path));
      const lens = all.find((l) => l.title === request.title && l.line === request.line);
      if (!lens) {
        throw new Error(`no lens "${request.title}" on line ${request.line}: ${JSON.stringify(all)}`);
      }
      return vscode.commands.executeCommand(lens.command, ...lens.arguments);
    }
    case "fix": {
      const uri = file(request.path);
      const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => diagnostic(d).code === request.code);
      if (diagnostics.length === 0) {
        throw new Error(`no ${request.code} diagnostic on ${request.path}`);
      }
      const actions =
        (await vscode.commands.executeCommand("vscode.executeCodeActionProvider", uri, diagnostics[0].range, vscode.CodeActionKind.QuickFix.value)) || [];
      const titles = actions.map((a) => a.title);
      // VS Code's answer does not carry the actions' diagnostics: the fix is
      // found by its title among the quick fixes of the diagnostic's range.
      const fix = actions.find((a) => a.edit && a.title === request.title);
      if (!fix) {
        const seen = actions.map((a) => ({
          title: a.title,
          kind: a.kind && a.kind.value,
          edit: Boolean(a.edit),
          command: a.command && a.command.command,
          codes: (a.diagnostics || []).map((d) => diagnostic(d).code),
        }));
        return { applied: false, seen };
      }
      const applied = await vscode.workspace.applyEdit(fix.edit);
      const document = await vscode.workspace.openTextDocument(uri);
      await document.save();
      return { applied, title: fix.title, titles, text: document.getText() };
    }
    case "command":
      return vscode.commands.executeCommand(request.command, ...(request.arguments || []));
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}

module.exports = { activate, deactivate() {} };
