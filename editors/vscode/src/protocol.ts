// The answers of the server's commands (workspace/executeCommand), as the
// server writes them.

export const ServerCommand = {
  Start: "smallbatch.start",
  Pause: "smallbatch.pause",
  Resume: "smallbatch.resume",
  Complete: "smallbatch.complete",
  Status: "smallbatch.status",
  Context: "smallbatch.context",
  InsertSummary: "smallbatch.insertSummary",
} as const;

/** The one argument of every command. */
export interface CommandArgs {
  spec: string;
  scenario?: string;
  phase?: string;
  agent?: string;
  force?: boolean;
  notes?: string;
  next?: string[];
  summary?: string;
  replaceSummary?: boolean;
  allowNoCommit?: boolean;
}

/** What `start` and `resume` answer. */
export interface Started {
  sessionId: string;
  contextFile: string;
  contextTokens: number;
  agentCommand: string[] | null;
}

export interface Completed {
  sessionId: string;
  endCommit: string | null;
  summary: string | null;
  keptEntry: boolean;
  specStatus: string | null;
  warnings: string[];
}

export interface UnitStatus {
  kind: "scenario" | "phase";
  name: string;
  index: number;
  of: number;
  state: "pending" | "active" | "paused" | "completed" | "failed";
  sessions: string[];
}

/** A session record, the fields the editor shows. */
export interface SessionRecord {
  id: string;
  spec: string;
  unit: { kind: "scenario" | "phase"; name: string; index: number; of: number };
  status: "active" | "paused" | "completed" | "failed";
  createdAt: string;
  updatedAt: string;
}

export interface StatusReport {
  spec: string;
  specId: string;
  units: UnitStatus[];
  open: SessionRecord | null;
  sessions: SessionRecord[];
}

export interface ContextPreview {
  unit: string;
  tokens: number;
  overBudget: boolean;
  text: string;
}

/** Every command the server runs, for the client's interception. */
export const serverCommands: readonly string[] = Object.values(ServerCommand);
