// The status-bar item: the open session's unit and how long it has run,
// read from the records in `.smallbatch/sessions/`, updated when they
// change on disk and every half minute for the time.

import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";

import type { SessionRecord } from "./protocol";

const TICK_MS = 30_000;

export class SessionStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private open: SessionRecord | undefined;
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly root: vscode.Uri,
    command: string,
  ) {
    this.item = vscode.window.createStatusBarItem("smallbatch.session", vscode.StatusBarAlignment.Left, 50);
    this.item.name = "Smallbatch Session";
    this.item.command = command;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(root, ".smallbatch/sessions/**"),
    );
    const refresh = (): void => this.refresh();
    this.disposables.push(
      this.item,
      watcher,
      watcher.onDidCreate(refresh),
      watcher.onDidChange(refresh),
      watcher.onDidDelete(refresh),
    );
    const timer = setInterval(() => this.render(), TICK_MS);
    this.disposables.push({ dispose: () => clearInterval(timer) });
    this.render();
    this.item.show();
    this.refresh();
  }

  /** The open session, as last read. */
  get session(): SessionRecord | undefined {
    return this.open;
  }

  /** Reads the records again (one read at a time; a change during one reads again). */
  refresh(): void {
    if (this.reading !== undefined) {
      this.again = true;
      return;
    }
    this.reading = openSession(this.root.fsPath)
      .then((open) => {
        this.open = open;
        this.render();
      })
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private render(): void {
    const open = this.open;
    if (open === undefined) {
      this.item.text = "$(checklist) Smallbatch";
      this.item.tooltip = "No open session. Click for the spec's status.";
      return;
    }
    if (open.status === "active") {
      this.item.text = `$(play) ${open.unit.name} · ${elapsed(open.createdAt)}`;
    } else {
      this.item.text = `$(debug-pause) ${open.unit.name} · paused`;
    }
    this.item.tooltip = `${open.status} session ${open.id}\n${open.spec}\nstarted ${open.createdAt}\nClick for the spec's status.`;
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** "4m", "1h 05m": the time since `since`. */
function elapsed(since: string): string {
  const started = Date.parse(since);
  if (Number.isNaN(started)) {
    return "?";
  }
  const minutes = Math.max(0, Math.floor((Date.now() - started) / 60_000));
  if (minutes < 60) {
    return `${minutes}m`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** The newest active session of the workspace, else the newest paused one. */
async function openSession(root: string): Promise<SessionRecord | undefined> {
  const records: SessionRecord[] = [];
  await collect(path.join(root, ".smallbatch", "sessions"), records, 0);
  const newest = (status: string): SessionRecord | undefined =>
    records
      .filter((r) => r.status === status)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  return newest("active") ?? newest("paused");
}

/** The records under `folder` (archived ones left out). */
async function collect(folder: string, into: SessionRecord[], depth: number): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && entry.name !== "archive" && depth < 2) {
      await collect(full, into, depth + 1);
    } else if (entry.isFile() && entry.name.endsWith(".json")) {
      try {
        const record = JSON.parse(await fs.readFile(full, "utf8")) as SessionRecord;
        if (typeof record.id === "string" && record.unit !== undefined && typeof record.status === "string") {
          into.push(record);
        }
      } catch {
        // A record being written, or one the server reports as unreadable.
      }
    }
  }
}
