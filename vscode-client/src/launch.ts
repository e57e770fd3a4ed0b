// How the extension finds the server: an explicit command, else an interpreter,
// else `xyguard` on PATH, else `python3 -m xyguard.server lsp`.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import type { XyguardSettings } from "./settings";

export interface ServerLaunch {
  command: string;
  args: string[];
  /** Which rule picked the command, shown in the output channel when the server fails to start. */
  origin: "xyguard.server.command" | "xyguard.server.pythonPath" | "PATH" | "python fallback";
}

export const MODULE_ARGS = ["-m", "xyguard.server", "lsp"];

export type ExecutableFinder = (name: string) => string | undefined;

/** `~` and `${workspaceFolder}` in user-typed paths, as VS Code users expect them to work. */
export function expandPath(value: string, workspaceFolder: string | undefined, home = os.homedir()): string {
  let out = value;
  if (out === "~" || out.startsWith("~/")) {
    out = home + out.slice(1);
  }
  if (workspaceFolder !== undefined) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  return out;
}

export function resolveServerLaunch(
  settings: Pick<XyguardSettings, "serverCommand" | "pythonPath">,
  findExecutable: ExecutableFinder,
  workspaceFolder?: string,
): ServerLaunch {
  if (settings.serverCommand.length > 0) {
    const [command, ...args] = settings.serverCommand.map((part) => expandPath(part, workspaceFolder));
    return { command, args, origin: "xyguard.server.command" };
  }
  if (settings.pythonPath) {
    return { command: expandPath(settings.pythonPath, workspaceFolder), args: [...MODULE_ARGS], origin: "xyguard.server.pythonPath" };
  }
  const installed = findExecutable("xyguard");
  if (installed) {
    return { command: installed, args: ["lsp"], origin: "PATH" };
  }
  const python = findExecutable("python3") ?? findExecutable("python") ?? "python3";
  return { command: python, args: [...MODULE_ARGS], origin: "python fallback" };
}

/** Look a program up on PATH the way a shell would (PATHEXT on Windows). */
export function findOnPath(
  name: string,
  envPath: string | undefined = process.env.PATH,
  platform: NodeJS.Platform = process.platform,
  pathExt: string | undefined = process.env.PATHEXT,
): string | undefined {
  if (!envPath) {
    return undefined;
  }
  const extensions = platform === "win32" ? (pathExt ?? ".EXE;.CMD;.BAT").split(";").filter(Boolean) : [""];
  const separator = platform === "win32" ? ";" : path.delimiter;
  for (const dir of envPath.split(separator)) {
    if (!dir) {
      continue;
    }
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        const stat = fs.statSync(candidate);
        if (!stat.isFile()) {
          continue;
        }
        if (platform !== "win32") {
          fs.accessSync(candidate, fs.constants.X_OK);
        }
        return candidate;
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return undefined;
}
