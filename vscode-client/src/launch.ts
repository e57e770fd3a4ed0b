// How the extension starts xyguard (the language server, and the MCP server for agent mode),
// the way ruff-vscode does it:
//
// 1. `xyguard.server.command`, when set, is used as it is.
// 2. An interpreter: `xyguard.server.pythonPath`, else the Python extension's interpreter for the
//    folder, else (importStrategy `fromEnvironment`) an `xyguard` already on PATH is used directly,
//    else python3 / python on PATH.
// 3. The interpreter runs the extension's `bundled/tool/lsp_server.py`, which imports xyguard from
//    the environment or from the libraries the .vsix bundles (`bundled/libs`), as importStrategy
//    says. A development copy without `bundled/tool` runs `-m xyguard.server` instead.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import type { ImportStrategy, XyguardSettings } from "./settings";

/** What picked the command, shown in the output channel (and in the error when it does not start). */
export type LaunchOrigin = "xyguard.server.command" | "xyguard.server.pythonPath" | "Python extension" | "PATH" | "python on PATH";

export type Subcommand = "lsp" | "mcp";

export interface ServerLaunch {
  command: string;
  args: string[];
  /** Added to the extension host's environment for the server process. */
  env: Record<string, string>;
  origin: LaunchOrigin;
  /** True when the bundled launcher runs (xyguard from the environment or from the .vsix). */
  viaBundle: boolean;
}

export const MODULE_ARGS = ["-m", "xyguard.server"];
export const BUNDLE_SCRIPT = path.join("bundled", "tool", "lsp_server.py");
export const BUNDLE_LIBS = path.join("bundled", "libs");

export type ExecutableFinder = (name: string) => string | undefined;

export interface LaunchInputs {
  settings: Pick<XyguardSettings, "serverCommand" | "pythonPath" | "importStrategy">;
  findExecutable: ExecutableFinder;
  workspaceFolder?: string;
  /** The Python extension's interpreter for the folder: a command prefix, usually one path. */
  pythonFromExtension?: string[];
  /** The extension's folder; its `bundled/tool/lsp_server.py` is used when present. */
  extensionPath?: string;
  /** For tests; default: does the file exist. */
  exists?: (file: string) => boolean;
}

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

export function bundleScript(extensionPath: string | undefined, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  if (!extensionPath) {
    return undefined;
  }
  const script = path.join(extensionPath, BUNDLE_SCRIPT);
  return exists(script) ? script : undefined;
}

/** Does this copy of the extension carry the server's libraries (a packaged .vsix)? */
export function hasBundledLibs(extensionPath: string | undefined, exists: (file: string) => boolean = fs.existsSync): boolean {
  return !!extensionPath && exists(path.join(extensionPath, BUNDLE_LIBS, "xyguard"));
}

function explicitCommand(parts: string[], subcommand: Subcommand): string[] | undefined {
  if (subcommand === "lsp") {
    return parts;
  }
  // A command written for the language server (`... xyguard lsp`) serves MCP with its last `lsp` swapped.
  const at = parts.lastIndexOf("lsp");
  return at > 0 ? [...parts.slice(0, at), subcommand, ...parts.slice(at + 1)] : undefined;
}

export function resolveServerLaunch(inputs: LaunchInputs, subcommand: Subcommand = "lsp"): ServerLaunch {
  const { settings, findExecutable, workspaceFolder } = inputs;
  const strategy: ImportStrategy = settings.importStrategy ?? "fromEnvironment";
  if (settings.serverCommand.length > 0) {
    const parts = explicitCommand(settings.serverCommand.map((part) => expandPath(part, workspaceFolder)), subcommand);
    if (parts) {
      const [command, ...args] = parts;
      return { command, args, env: {}, origin: "xyguard.server.command", viaBundle: false };
    }
  }
  let interpreter: string[] | undefined;
  let origin: LaunchOrigin;
  if (settings.pythonPath) {
    interpreter = [expandPath(settings.pythonPath, workspaceFolder)];
    origin = "xyguard.server.pythonPath";
  } else if (inputs.pythonFromExtension && inputs.pythonFromExtension.length > 0) {
    interpreter = inputs.pythonFromExtension;
    origin = "Python extension";
  } else {
    const installed = strategy === "fromEnvironment" ? findExecutable("xyguard") : undefined;
    if (installed) {
      return { command: installed, args: [subcommand], env: {}, origin: "PATH", viaBundle: false };
    }
    interpreter = [findExecutable("python3") ?? findExecutable("python") ?? "python3"];
    origin = "python on PATH";
  }
  const [command, ...prefix] = interpreter;
  const script = bundleScript(inputs.extensionPath, inputs.exists);
  if (script) {
    return { command, args: [...prefix, script, subcommand], env: { XYGUARD_IMPORT_STRATEGY: strategy }, origin, viaBundle: true };
  }
  return { command, args: [...prefix, ...MODULE_ARGS, subcommand], env: {}, origin, viaBundle: false };
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
