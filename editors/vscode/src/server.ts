// Finding the `smallbatch` binary: the setting, else the binary bundled in
// a platform package, else `smallbatch` on PATH. A candidate counts only
// when `smallbatch --version` runs.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export type Source = "setting" | "bundled" | "PATH";

export interface Server {
  path: string;
  source: Source;
  version: string;
}

/** Why no server runs: the message names every place looked at. */
export class NotFound extends Error {
  constructor(
    message: string,
    /** The path the message is about (the setting's, when it is set). */
    readonly where: string,
  ) {
    super(message);
  }
}

const binaryName = process.platform === "win32" ? "smallbatch.exe" : "smallbatch";

/** The binary to run, or NotFound saying where it was looked for. */
export async function findServer(setting: string, extensionPath: string): Promise<Server> {
  if (setting.trim() !== "") {
    const configured = setting.trim();
    const problem = await runs(configured);
    if (typeof problem === "string") {
      throw new NotFound(
        `The smallbatch language server ${configured} (setting smallbatch.server.path) ${problem}.`,
        configured,
      );
    }
    return { path: configured, source: "setting", version: problem.version };
  }
  const bundled = path.join(extensionPath, "server", binaryName);
  if (fs.existsSync(bundled)) {
    const problem = await runs(bundled);
    if (typeof problem !== "string") {
      return { path: bundled, source: "bundled", version: problem.version };
    }
  }
  const onPath = lookOnPath();
  if (onPath !== undefined) {
    const problem = await runs(onPath);
    if (typeof problem !== "string") {
      return { path: onPath, source: "PATH", version: problem.version };
    }
    throw new NotFound(`The smallbatch language server ${onPath} (found on PATH) ${problem}.`, onPath);
  }
  throw new NotFound(
    "The smallbatch language server was not found: smallbatch.server.path is not set, " +
      "this package bundles no server, and there is no smallbatch on PATH.",
    "smallbatch",
  );
}

/** `smallbatch` in a folder of PATH, when there is one. */
function lookOnPath(): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
    if (folder === "") {
      continue;
    }
    const candidate = path.join(folder, binaryName);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Its version when `binary --version` runs, else what went wrong. */
function runs(binary: string): Promise<{ version: string } | string> {
  if (!fs.existsSync(binary)) {
    return Promise.resolve("does not exist");
  }
  return new Promise((resolve) => {
    execFile(binary, ["--version"], { timeout: 10_000 }, (error, stdout) => {
      if (error === null) {
        resolve({ version: stdout.trim() });
      } else if ((error as NodeJS.ErrnoException).code === "EACCES") {
        resolve("is not executable");
      } else {
        resolve(`does not run (${error.message.split("\n")[0]})`);
      }
    });
  });
}
