// The palette commands. Each one finds the spec and the unit (the scenario
// under the cursor, else a quick pick) and calls the server's command.

import * as vscode from "vscode";

import {
  type CommandArgs,
  type ContextPreview,
  ServerCommand,
  type StatusReport,
  type UnitStatus,
} from "./protocol";
import { flatten, revealSymbol, type Sessions, specUri } from "./session";
import type { SessionStatus } from "./statusBar";

type Unit = Pick<CommandArgs, "scenario" | "phase">;

const stateMarks: Record<UnitStatus["state"], string> = {
  pending: "○",
  active: "▶",
  paused: "⏸",
  completed: "✔",
  failed: "✗",
};

export class Palette {
  constructor(
    private readonly sessions: Sessions,
    private readonly status: () => SessionStatus | undefined,
    private readonly root: () => vscode.Uri | undefined,
  ) {}

  register(): vscode.Disposable[] {
    const command = (id: string, run: () => Promise<unknown>): vscode.Disposable =>
      vscode.commands.registerCommand(id, run);
    return [
      command("smallbatch.startSession", () => this.start()),
      command("smallbatch.resumeSession", () => this.onSpec(ServerCommand.Resume)),
      command("smallbatch.pauseSession", () => this.pause()),
      command("smallbatch.completeSession", () => this.onSpec(ServerCommand.Complete)),
      command("smallbatch.showStatus", () => this.showStatus()),
      command("smallbatch.showContext", () => this.showContext()),
    ];
  }

  private async start(): Promise<unknown> {
    const spec = await this.spec();
    if (spec === undefined) {
      return undefined;
    }
    const unit = (await this.unitUnderCursor(spec)) ?? (await this.pickUnit(spec, "Start a session on which unit?"));
    if (unit === undefined) {
      return undefined;
    }
    return this.sessions.run(ServerCommand.Start, { spec, ...unit });
  }

  private async onSpec(command: string): Promise<unknown> {
    const spec = await this.spec();
    return spec === undefined ? undefined : this.sessions.run(command, { spec });
  }

  private async pause(): Promise<unknown> {
    const spec = await this.spec();
    if (spec === undefined) {
      return undefined;
    }
    const notes = await vscode.window.showInputBox({
      title: "Pause Session (1/2)",
      prompt: "Notes for whoever resumes: where the work stands",
      ignoreFocusOut: true,
    });
    if (notes === undefined) {
      return undefined;
    }
    const next = await vscode.window.showInputBox({
      title: "Pause Session (2/2)",
      prompt: "Next steps, separated by ; (may be empty)",
      ignoreFocusOut: true,
    });
    if (next === undefined) {
      return undefined;
    }
    const steps = next
      .split(";")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    return this.sessions.run(ServerCommand.Pause, { spec, notes, next: steps });
  }

  private async showStatus(): Promise<void> {
    const spec = await this.spec();
    if (spec === undefined) {
      return;
    }
    const report = (await this.sessions.run(ServerCommand.Status, { spec })) as StatusReport | undefined;
    if (report === undefined) {
      return;
    }
    const picked = await vscode.window.showQuickPick(unitItems(report), {
      title: `${report.spec}: ${report.units.filter((u) => u.state === "completed").length}/${report.units.length} done`,
      placeHolder: "Go to a unit",
    });
    const uri = specUri(spec, this.root());
    if (picked !== undefined && uri !== undefined) {
      await revealSymbol(uri, picked.unit.name);
    }
  }

  private async showContext(): Promise<void> {
    const spec = await this.spec();
    if (spec === undefined) {
      return;
    }
    const unit = (await this.unitUnderCursor(spec)) ?? {};
    const preview = (await this.sessions.run(ServerCommand.Context, { spec, ...unit })) as
      | ContextPreview
      | undefined;
    if (preview === undefined) {
      return;
    }
    const document = await vscode.workspace.openTextDocument({ language: "markdown", content: preview.text });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    const budget = preview.overBudget ? " (over the budget)" : "";
    void vscode.window.showInformationMessage(
      `Smallbatch: the context of ${preview.unit}: about ${preview.tokens} tokens${budget}.`,
    );
  }

  /**
   * The spec to act on: the markdown file in the active editor, else the
   * open session's spec, else one picked among the workspace's specs.
   */
  private async spec(): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor !== undefined && mayBeSpec(editor.document)) {
      return editor.document.uri.toString();
    }
    const open = this.status()?.session;
    const openUri = open === undefined ? undefined : specUri(open.spec, this.root());
    if (openUri !== undefined) {
      return openUri.toString();
    }
    const visible = vscode.window.visibleTextEditors.find((e) => mayBeSpec(e.document));
    if (visible !== undefined) {
      return visible.document.uri.toString();
    }
    return pickSpec();
  }

  /** The unit whose text holds the cursor, as the server's symbols place it. */
  private async unitUnderCursor(spec: string): Promise<Unit | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.toString() !== spec) {
      return undefined;
    }
    const symbols =
      (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
        "vscode.executeDocumentSymbolProvider",
        editor.document.uri,
      )) ?? [];
    const cursor = editor.selection.active;
    const around = flatten(symbols).filter(
      (s) => s.kind === vscode.SymbolKind.Event && s.range.contains(cursor),
    );
    // The innermost: the smallest range.
    const unit = around.sort((a, b) => a.range.end.line - a.range.start.line - (b.range.end.line - b.range.start.line))[0];
    if (unit === undefined) {
      return undefined;
    }
    return unit.detail.startsWith("Phase") ? { phase: unit.name } : { scenario: unit.name };
  }

  /** A unit picked from the server's status of `spec`. */
  private async pickUnit(spec: string, placeHolder: string): Promise<Unit | undefined> {
    const report = (await this.sessions.run(ServerCommand.Status, { spec })) as StatusReport | undefined;
    if (report === undefined) {
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(unitItems(report), { placeHolder });
    if (picked === undefined) {
      return undefined;
    }
    return picked.unit.kind === "phase" ? { phase: picked.unit.name } : { scenario: picked.unit.name };
  }
}

function unitItems(report: StatusReport): (vscode.QuickPickItem & { unit: UnitStatus })[] {
  return report.units.map((unit) => ({
    label: `${stateMarks[unit.state]} ${unit.name}`,
    description: `${unit.kind} ${unit.index} of ${unit.of} · ${unit.state}`,
    unit,
  }));
}

/** A markdown file of the workspace outside `.smallbatch/` (the server says whether it is a spec). */
function mayBeSpec(document: vscode.TextDocument): boolean {
  return (
    document.uri.scheme === "file" && document.languageId === "markdown" && !document.uri.path.includes("/.smallbatch/")
  );
}

/** A spec picked from the server's workspace symbols. */
async function pickSpec(): Promise<string | undefined> {
  const symbols =
    (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>(
      "vscode.executeWorkspaceSymbolProvider",
      "",
    )) ?? [];
  const specs = symbols.filter((s) => s.kind === vscode.SymbolKind.File);
  if (specs.length === 0) {
    void vscode.window.showWarningMessage("Smallbatch: no spec found in this workspace; open one first.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    specs.map((s) => ({ label: s.name, description: s.containerName, uri: s.location.uri })),
    { placeHolder: "Which spec?" },
  );
  return picked?.uri.toString();
}
