// Runs the server's commands and does what the editor does with their
// answers: the context load beside the spec, the agent in a terminal, the
// Session log entry after Complete. Every rule stays in the server.

import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";

import {
  type CommandArgs,
  type Completed,
  ServerCommand,
  type Started,
  type StatusReport,
} from "./protocol";

export class Sessions {
  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly root: () => vscode.Uri | undefined,
    /** Called after every command that may change a record. */
    private readonly changed: () => void,
  ) {}

  /**
   * Sends `command` to the server and acts on its answer; shows the
   * server's refusal, with the retry it offers. `undefined` when the
   * command did not run.
   */
  async run(command: string, arg: CommandArgs | undefined): Promise<unknown> {
    const client = this.client();
    if (client === undefined || !client.isRunning()) {
      void vscode.window.showErrorMessage(
        "Smallbatch: the language server is not running; see the Output panel (Smallbatch).",
      );
      return undefined;
    }
    let answer: unknown;
    try {
      answer = await client.sendRequest(ExecuteCommandRequest.type, {
        command,
        arguments: arg === undefined ? [] : [arg],
      });
    } catch (error) {
      await this.refused(command, arg, error);
      return undefined;
    }
    switch (command) {
      case ServerCommand.Start:
      case ServerCommand.Resume:
        await this.started(answer as Started, arg);
        break;
      case ServerCommand.Pause:
        void vscode.window.showInformationMessage(`Smallbatch: paused ${(answer as { sessionId: string }).sessionId}.`);
        break;
      case ServerCommand.Complete:
        void this.completed(answer as Completed, arg);
        break;
      default:
        break;
    }
    this.changed();
    return answer;
  }

  /** The server's refusal, with the retry its message names. */
  private async refused(command: string, arg: CommandArgs | undefined, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const retries: { title: string; arg: CommandArgs }[] = [];
    if (arg !== undefined && command === ServerCommand.Start && message.includes("--force") && !arg.force) {
      retries.push({ title: "Start Anyway", arg: { ...arg, force: true } });
    }
    if (arg !== undefined && command === ServerCommand.Complete && message.includes("--allow-no-commit")) {
      retries.push({ title: "Complete Without a Commit", arg: { ...arg, allowNoCommit: true } });
    }
    const choice = await vscode.window.showErrorMessage(
      `Smallbatch: ${message}`,
      ...retries.map((r) => r.title),
    );
    const retry = retries.find((r) => r.title === choice);
    if (retry !== undefined) {
      await this.run(command, retry.arg);
    }
  }

  /** After Start and Resume: the context beside the spec, then the agent. */
  private async started(started: Started, arg: CommandArgs | undefined): Promise<void> {
    await showBeside(vscode.Uri.file(started.contextFile));
    const configured = vscode.workspace
      .getConfiguration("smallbatch")
      .get<string[]>("agent.command", [])
      .filter((a) => typeof a === "string");
    const command = configured.length > 0 ? configured : (started.agentCommand ?? []);
    if (command.length === 0) {
      return;
    }
    const spec = arg?.spec ?? "";
    const fill = (a: string): string =>
      a
        .replaceAll("{context}", started.contextFile)
        .replaceAll("{session}", started.sessionId)
        .replaceAll("{scenario}", arg?.scenario ?? arg?.phase ?? "")
        .replaceAll("{spec}", spec);
    // The server fills in its own agent's arguments; the setting's are
    // filled in here. Either way the program gets an argument list: no shell
    // ever reads the scenario's text.
    const argv = configured.length > 0 ? command.map(fill) : command;
    const [program, ...args] = argv;
    const terminal = vscode.window.createTerminal({
      name: `Smallbatch: ${started.sessionId}`,
      shellPath: program,
      shellArgs: args,
      cwd: this.root(),
    });
    terminal.show(true);
  }

  /** After Complete: what happened, and the Session log entry to edit. */
  private async completed(completed: Completed, arg: CommandArgs | undefined): Promise<void> {
    for (const warning of completed.warnings) {
      void vscode.window.showWarningMessage(`Smallbatch: ${warning}`);
    }
    const at = completed.endCommit ? ` at ${completed.endCommit.slice(0, 7)}` : "";
    const open = "Open Session Log Entry";
    const choice = await vscode.window.showInformationMessage(
      `Smallbatch: completed ${completed.sessionId}${at}.`,
      open,
    );
    if (choice !== open || arg === undefined) {
      return;
    }
    const status = (await this.run(ServerCommand.Status, { spec: arg.spec })) as StatusReport | undefined;
    const unit = status?.sessions.find((s) => s.id === completed.sessionId)?.unit.name;
    const uri = specUri(arg.spec, this.root());
    if (uri !== undefined) {
      await revealSymbol(uri, unit, "summary");
    }
  }
}

/** The spec argument as a URI: a URI, or a path from the workspace root. */
export function specUri(spec: string, root: vscode.Uri | undefined): vscode.Uri | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    return vscode.Uri.parse(spec);
  }
  if (spec.startsWith("/")) {
    return vscode.Uri.file(spec);
  }
  return root === undefined ? undefined : vscode.Uri.joinPath(root, spec);
}

/** Documents being opened by [`showBeside`], so that two asks open one editor. */
const opening = new Map<string, Thenable<vscode.TextEditor>>();

/** Opens `uri` beside the active editor, or where it is already shown. */
export function showBeside(uri: vscode.Uri, preserveFocus = false): Thenable<vscode.TextEditor> {
  const key = uri.toString();
  const pending = opening.get(key);
  if (pending !== undefined) {
    return pending;
  }
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  const open = vscode.workspace.openTextDocument(uri).then((document) =>
    vscode.window.showTextDocument(document, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside,
      preserveFocus,
      preview: false,
    }),
  );
  opening.set(key, open);
  const done = (): void => {
    opening.delete(key);
  };
  open.then(done, done);
  return open;
}

/**
 * Opens `uri` at the symbol named `name` (of the detail given, when given),
 * as the server's document symbols place it; at the top when there is none.
 */
export async function revealSymbol(uri: vscode.Uri, name: string | undefined, detail?: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const symbols =
    (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
      "vscode.executeDocumentSymbolProvider",
      uri,
    )) ?? [];
  const found = flatten(symbols).find(
    (s) => s.name === name && (detail === undefined || s.detail === detail),
  );
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (found !== undefined) {
    editor.selection = new vscode.Selection(found.selectionRange.start, found.selectionRange.end);
    editor.revealRange(found.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export function flatten(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}
