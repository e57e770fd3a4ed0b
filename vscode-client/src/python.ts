// The interpreter the Python extension (ms-python.python) selected for a folder, through its public
// API: `environments` (getActiveEnvironmentPath + resolveEnvironment) where it exists, the older
// `settings.getExecutionDetails` otherwise. Without the Python extension: undefined, and the
// launcher falls back to `xyguard.server.pythonPath` / PATH.

import * as vscode from "vscode";

export const PYTHON_EXTENSION_ID = "ms-python.python";

interface EnvironmentPath {
  id: string;
  path: string;
}

interface ResolvedEnvironment {
  executable?: { uri?: { fsPath: string } };
  version?: { major?: number; minor?: number; micro?: number };
}

/** The parts of the Python extension's exported API used here (its public `PythonExtension` API). */
export interface PythonExtensionApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

async function pythonApi(log: (message: string) => void): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    await api?.ready;
    return api;
  } catch (err) {
    log(`The Python extension did not activate: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** The selected interpreter for `resource`'s folder as a command prefix, or undefined. */
export async function interpreterFromPythonExtension(resource: vscode.Uri | undefined, log: (message: string) => void): Promise<string[] | undefined> {
  const api = await pythonApi(log);
  if (!api) {
    return undefined;
  }
  try {
    if (api.environments) {
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      const executable = resolved?.executable?.uri?.fsPath;
      if (executable) {
        return [executable];
      }
    }
    const command = api.settings?.getExecutionDetails(resource).execCommand;
    if (command && command.length > 0 && command[0]) {
      return command;
    }
  } catch (err) {
    log(`The Python extension gave no interpreter: ${err instanceof Error ? err.message : String(err)}`);
  }
  return undefined;
}

/** Calls `listener` when the user selects another interpreter in the Python extension. */
export async function onPythonInterpreterChanged(listener: () => void, log: (message: string) => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonApi(log);
  const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
  return event ? event(() => listener()) : undefined;
}
