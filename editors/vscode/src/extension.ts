// The extension: starts `smallbatch lsp` as a language client, adds the
// palette commands and the session's status-bar item. It holds no rules:
// everything it shows and does comes from the server.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  CloseAction,
  CodeLensRequest,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { Palette } from "./commands";
import { type CommandArgs } from "./protocol";
import { findServer, NotFound, type Server } from "./server";
import { Sessions, showBeside } from "./session";
import { SessionStatus } from "./statusBar";

/** What the extension exports: what it told the user and when it got going. */
export interface Api {
  /** Every problem with the server shown to the user, in order. */
  readonly problems: readonly string[];
  /** Milliseconds since the epoch: activation, and the first diagnostics. */
  readonly timings: { activated: number; firstDiagnostics?: number };
  /** Whether the language server is running. */
  running(): boolean;
}

class Extension implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("Smallbatch", { log: true });
  readonly problems: string[] = [];
  readonly timings: Api["timings"] = { activated: Date.now() };
  client: LanguageClient | undefined;
  server: Server | undefined;
  status: SessionStatus | undefined;
  readonly sessions: Sessions;
  private starting: Promise<void> | undefined;
  private readonly analysedOnce = new Set<string>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.sessions = new Sessions(
      () => this.client,
      () => this.root(),
      () => this.status?.refresh(),
    );
  }

  root(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** Starts the client; a server that cannot run is told once, with what to do. */
  start(): Promise<void> {
    this.starting ??= this.startClient().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startClient(): Promise<void> {
    const config = vscode.workspace.getConfiguration("smallbatch");
    try {
      this.server = await findServer(config.get<string>("server.path", ""), this.context.extensionPath);
    } catch (error) {
      this.server = undefined;
      if (error instanceof NotFound) {
        this.problem(error.message);
        return;
      }
      throw error;
    }
    const server = this.server;
    this.output.info(`${server.version} (${server.source}): ${server.path}`);
    const root = this.root();
    const serverOptions: ServerOptions = {
      command: server.path,
      args: ["lsp", ...config.get<string[]>("server.extraArgs", [])],
      transport: TransportKind.stdio,
      options: {
        cwd: root?.fsPath,
        env: { ...process.env, SMALLBATCH_LOG: config.get<string>("server.logLevel", "warn") },
      },
    };
    let told = false;
    const tell = (message: string): void => {
      if (!told) {
        told = true;
        this.problem(message);
      }
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", language: "markdown" },
        { scheme: "file", language: "feature" },
      ],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationFailedHandler: (error) => {
        tell(`The smallbatch language server ${server.path} failed to start: ${messageOf(error)}`);
        return false;
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Shutdown, handled: true }),
        closed: () => {
          tell(`The smallbatch language server ${server.path} stopped; it is not restarted (see Output › Smallbatch).`);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        // Lens clicks and code actions run the server's commands through
        // here, so that their answers are acted on like the palette's.
        executeCommand: (command, args) => this.sessions.run(command, args[0] as CommandArgs | undefined),
        handleDiagnostics: (uri, diagnostics, next) => {
          this.timings.firstDiagnostics ??= Date.now();
          next(uri, diagnostics);
          this.analysed(uri);
        },
        window: {
          showDocument: async (params) => {
            try {
              await showBeside(vscode.Uri.parse(params.uri), params.takeFocus !== true);
              return { success: true };
            } catch {
              return { success: false };
            }
          },
        },
      },
    };
    const client = new LanguageClient("smallbatch", "Smallbatch", serverOptions, clientOptions);
    this.client = client;
    this.analysedOnce.clear();
    try {
      await client.start();
    } catch (error) {
      tell(`The smallbatch language server ${server.path} failed to start: ${messageOf(error)}`);
    }
  }

  /**
   * A document's first diagnostics say the server has analysed it: a second
   * later the editor asks for its lenses again. Lenses asked for as the
   * document opened can come back empty, and VS Code does not ask again by
   * itself until the document changes.
   */
  private analysed(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.analysedOnce.has(key)) {
      return;
    }
    this.analysedOnce.add(key);
    const refresh = (): void => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document !== undefined) {
        this.output.debug(`lenses asked again: ${key}`);
        this.client?.getFeature(CodeLensRequest.method).getProvider(document)?.onDidChangeCodeLensEmitter.fire();
      }
    };
    setTimeout(refresh, 1000);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.dispose(2000);
      } catch (error) {
        this.output.warn(`stopping the server: ${messageOf(error)}`);
      }
    }
  }

  /** One error message: what is wrong, the install steps, the setting. */
  private problem(message: string): void {
    this.problems.push(message);
    this.output.error(message);
    const steps = "Install Steps";
    const setting = "Open Setting";
    void vscode.window.showErrorMessage(`Smallbatch: ${message}`, steps, setting).then((choice) => {
      if (choice === steps) {
        void vscode.commands.executeCommand("smallbatch.showInstallSteps");
      } else if (choice === setting) {
        void vscode.commands.executeCommand("workbench.action.openSettings", "smallbatch.server.path");
      }
    });
  }

  /** `smallbatch check` on the workspace, in a task; findings go to Problems. */
  async check(): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0];
    if (this.server === undefined || root === undefined) {
      void vscode.window.showErrorMessage("Smallbatch: no server to run `smallbatch check` with (see the error shown at start).");
      return;
    }
    const task = new vscode.Task(
      { type: "process", command: "check" },
      root,
      "check",
      "smallbatch",
      new vscode.ProcessExecution(this.server.path, ["check", root.uri.fsPath], { cwd: root.uri.fsPath }),
      "$smallbatch",
    );
    await vscode.tasks.executeTask(task);
  }

  /** The install steps: the README shipped in the extension, as a preview. */
  async installSteps(): Promise<void> {
    // vsce stores README.md as readme.md.
    const name = fs.readdirSync(this.context.extensionPath).find((f) => f.toLowerCase() === "readme.md") ?? "README.md";
    const readme = vscode.Uri.file(path.join(this.context.extensionPath, name));
    await vscode.commands.executeCommand("markdown.showPreview", readme);
  }

  dispose(): void {
    this.status?.dispose();
    void this.stop();
  }
}

let extension: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  const ext = new Extension(context);
  extension = ext;
  context.subscriptions.push(ext, ext.output);
  const root = ext.root();
  if (root !== undefined) {
    ext.status = new SessionStatus(root, "smallbatch.showStatus");
  }
  const palette = new Palette(ext.sessions, () => ext.status, () => ext.root());
  context.subscriptions.push(
    ...palette.register(),
    vscode.commands.registerCommand("smallbatch.checkWorkspace", () => ext.check()),
    vscode.commands.registerCommand("smallbatch.showInstallSteps", () => ext.installSteps()),
    vscode.commands.registerCommand("smallbatch.restartServer", () => ext.restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("smallbatch.server")) {
        void ext.restart();
      }
    }),
  );
  void ext.start();
  return {
    problems: ext.problems,
    timings: ext.timings,
    running: () => ext.client?.isRunning() ?? false,
  };
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
