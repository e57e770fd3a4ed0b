// Wiring: settings -> server launch -> language client, plus the language status item, the log,
// the commands and the MCP server offered to agent mode. The logic lives in the modules it imports.

import * as vscode from "vscode";
import type { LanguageClientOptions } from "vscode-languageclient/node";

import { registerCommands, type CommandEnv, type LspRequester } from "./commands";
import { findOnPath, hasBundledLibs, resolveServerLaunch, type ExecutableFinder, type ServerLaunch, type Subcommand } from "./launch";
import { registerMcpProvider, type McpRegistration } from "./mcp";
import { interpreterFromPythonExtension, onPythonInterpreterChanged } from "./python";
import { SECTION, answerConfiguration, classifyChange, readSettings, serverSettings, type XyguardSettings } from "./settings";
import { countFindings, statusView, type ServerState } from "./status";

export const VERSION = "0.1.0";

/** The parts of vscode-languageclient's LanguageClient the extension uses. */
export interface ClientLike extends LspRequester {
  start(): Promise<void>;
  stop(): Promise<void>;
  sendNotification(method: string, params: unknown): Promise<void>;
  onDidChangeState(listener: (event: { newState: number }) => void): vscode.Disposable;
  readonly diagnostics: vscode.DiagnosticCollection | undefined;
}

export type ClientFactory = (launch: ServerLaunch, cwd: string | undefined, options: LanguageClientOptions) => ClientLike;

/** The Python extension's interpreter for a folder (a command prefix), or undefined. */
export type InterpreterLookup = (folder: vscode.Uri | undefined) => Promise<string[] | undefined>;

export interface ExtensionDeps {
  /** The extension's own folder (context.extensionPath): where `bundled/` is. */
  extensionPath?: string;
  createClient?: ClientFactory;
  findExecutable?: ExecutableFinder;
  pythonInterpreter?: InterpreterLookup;
}

// vscode-languageclient's State enum: Stopped = 1, Running = 2, Starting = 3.
const CLIENT_STATES: Record<number, ServerState> = { 1: "stopped", 2: "running", 3: "starting" };

/** The languages xyguard indexes; their files get drift diagnostics from the first edit. */
export const SOURCE_LANGUAGES = ["python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "rust", "java"];

export type DocumentFilter = { language: string; scheme?: string } | { scheme: string; pattern: string };

/** What the client syncs to the server: request documents (by language id or glob) and source files on disk. */
export function documentSelector(requestGlobs: string[]): DocumentFilter[] {
  return [
    { language: "xyguard-request" },
    ...requestGlobs.map((pattern) => ({ scheme: "file", pattern })),
    ...SOURCE_LANGUAGES.map((language) => ({ scheme: "file", language })),
  ];
}

function createLanguageClient(launch: ServerLaunch, cwd: string | undefined, options: LanguageClientOptions): ClientLike {
  // Loaded lazily so that the unit tests (stub `vscode`) never load the real client.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const lc = require("vscode-languageclient/node") as typeof import("vscode-languageclient/node");
  const server = {
    command: launch.command,
    args: launch.args,
    transport: lc.TransportKind.stdio,
    options: { cwd, env: { ...process.env, ...launch.env } },
  };
  // The id "xyguard" makes the client read `xyguard.trace.server` for its protocol trace.
  return new lc.LanguageClient("xyguard", "xyguard", server, options) as unknown as ClientLike;
}

const LANGUAGE_STATUS_SEVERITY = { information: 0, warning: 1, error: 2 } as const;

export class XyguardExtension implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  readonly status: vscode.LanguageStatusItem;
  private client: ClientLike | undefined;
  private state: ServerState = "stopped";
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private mcp: McpRegistration | undefined;
  private readonly createClient: ClientFactory;
  private readonly findExecutable: ExecutableFinder;
  private readonly pythonInterpreter: InterpreterLookup;
  private readonly extensionPath: string | undefined;
  private lastLaunch: ServerLaunch | undefined;
  private starting: Promise<void> | undefined;

  constructor(deps: ExtensionDeps = {}) {
    this.extensionPath = deps.extensionPath;
    this.createClient = deps.createClient ?? createLanguageClient;
    this.findExecutable = deps.findExecutable ?? ((name) => findOnPath(name));
    this.pythonInterpreter = deps.pythonInterpreter ?? ((folder) => interpreterFromPythonExtension(folder, (m) => this.log(m)));
    this.output = vscode.window.createOutputChannel("xyguard");
    this.status = vscode.languages.createLanguageStatusItem("xyguard.status", documentSelector(this.settings().requestGlobs));
    this.status.name = "xyguard";
    this.status.command = { title: "Show logs", command: "xyguard.showLogs", tooltip: "Show the xyguard log" };
    this.disposables.push(this.output, this.status);
    this.disposables.push(...registerCommands(this.commandEnv()));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)));
    this.disposables.push(vscode.languages.onDidChangeDiagnostics(() => this.updateStatus()));
    this.updateStatus();
  }

  log(message: string): void {
    this.output.appendLine(message);
  }

  settings(scopeUri?: string): XyguardSettings {
    const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
    return readSettings(vscode.workspace.getConfiguration(SECTION, scope));
  }

  /** The folder of the active editor, else the first one. */
  private workspaceFolder(): vscode.WorkspaceFolder | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const owning = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
    return owning ?? folders[0];
  }

  workspaceRoot(): string | undefined {
    return this.workspaceFolder()?.uri.fsPath;
  }

  workspaceUri(): string | undefined {
    return this.workspaceFolder()?.uri.toString();
  }

  get serverState(): ServerState {
    return this.state;
  }

  get languageClient(): ClientLike | undefined {
    return this.client;
  }

  /** How the server (or, for agent mode, the MCP server) is started with the current settings. */
  async launch(subcommand: Subcommand = "lsp"): Promise<ServerLaunch> {
    const settings = this.settings();
    const first = vscode.workspace.workspaceFolders?.[0];
    // The Python extension is asked only when nothing more explicit is set (it may have to activate first).
    const wanted = settings.serverCommand.length === 0 && !settings.pythonPath;
    const pythonFromExtension = wanted ? await this.pythonInterpreter(first?.uri) : undefined;
    return resolveServerLaunch({
      settings, findExecutable: this.findExecutable, workspaceFolder: first?.uri.fsPath, pythonFromExtension,
      extensionPath: this.extensionPath,
    }, subcommand);
  }

  clientOptions(settings = this.settings()): LanguageClientOptions {
    return {
      documentSelector: documentSelector(settings.requestGlobs),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      initializationOptions: serverSettings(settings),
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const defaults = await next(params, token);
            return answerConfiguration(params.items, Array.isArray(defaults) ? defaults : [], (uri) => this.settings(uri));
          },
        },
      },
    };
  }

  async start(): Promise<void> {
    if (this.starting) {
      return this.starting;
    }
    this.starting = this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const settings = this.settings();
    this.status.selector = documentSelector(settings.requestGlobs);
    if (!settings.enable) {
      this.log("xyguard is disabled (xyguard.enable); the server is not started.");
      this.setState("disabled");
      return;
    }
    this.setState("starting");
    const launch = await this.launch("lsp");
    this.lastLaunch = launch;
    const bundle = launch.viaBundle
      ? (hasBundledLibs(this.extensionPath) ? ` (importStrategy ${settings.importStrategy}; bundled server available)` : " (no bundled server in this copy)")
      : "";
    this.log(`Starting the server: ${[launch.command, ...launch.args].join(" ")} (from ${launch.origin})${bundle}`);
    const client = this.createClient(launch, this.workspaceRoot(), this.clientOptions(settings));
    this.client = client;
    this.clientDisposables.push(client.onDidChangeState((e) => {
      if (this.client === client) {
        this.setState(CLIENT_STATES[e.newState] ?? "stopped");
      }
    }));
    try {
      await client.start();
      this.setState("running");
    } catch (err) {
      this.setState("failed");
      const message = err instanceof Error ? err.message : String(err);
      this.log(`The server did not start: ${message}`);
      void vscode.window.showErrorMessage(
        `xyguard: the server did not start with ${launch.command} (from ${launch.origin}). `
        + "Choose a Python 3.10+ interpreter (Python: Select Interpreter or xyguard.server.pythonPath), or see the log.",
        "Show logs",
      ).then((choice) => {
        if (choice === "Show logs") {
          this.showLogs();
        }
      });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientDisposables.forEach((d) => d.dispose());
    this.clientDisposables = [];
    if (client) {
      try {
        await client.stop();
      } catch (err) {
        this.log(`Stopping the server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.setState(this.settings().enable ? "stopped" : "disabled");
  }

  async restart(): Promise<void> {
    this.log("Restarting the server.");
    await this.stop();
    await this.start();
  }

  showLogs(): void {
    this.output.show(true);
  }

  /** Agent mode's view of xyguard: the MCP server, started like the language server. */
  offerToAgents(): void {
    this.mcp = registerMcpProvider({
      mcpLaunch: async () => (this.settings().enable ? this.launch("mcp") : undefined),
      workspaceRoot: () => this.workspaceRoot(),
      version: VERSION,
      log: (m) => this.log(m),
    });
    if (this.mcp) {
      this.disposables.push(this.mcp);
    }
  }

  /** Restart when the Python extension's interpreter changes, unless a setting names the server or interpreter. */
  async followPythonInterpreter(): Promise<void> {
    const watch = await onPythonInterpreterChanged(() => {
      this.mcp?.changed();
      const origin = this.lastLaunch?.origin;
      if (origin && origin !== "xyguard.server.command" && origin !== "xyguard.server.pythonPath") {
        this.log("The Python extension selected another interpreter.");
        void this.restart();
      }
    }, (m) => this.log(m));
    if (watch) {
      this.disposables.push(watch);
    }
  }

  private async onSettingsChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    const change = classifyChange((section) => event.affectsConfiguration(section));
    if (change !== "none" && change !== "notify") {
      this.mcp?.changed();
    }
    if (change === "enable") {
      if (this.settings().enable) {
        await this.start();
      } else {
        this.log("xyguard was disabled (xyguard.enable); stopping the server.");
        await this.stop();
      }
    } else if (change === "restart") {
      await this.restart();
    } else if (change === "notify" && this.client && this.state === "running") {
      // The server also pulls `workspace/configuration`; pushing the new values saves a round trip.
      await this.client.sendNotification("workspace/didChangeConfiguration", { settings: { [SECTION]: serverSettings(this.settings()) } });
      this.updateStatus(); // the fail level colours the status
    }
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.updateStatus();
  }

  updateStatus(): void {
    const found: vscode.Diagnostic[] = [];
    this.client?.diagnostics?.forEach((_uri, diagnostics) => {
      found.push(...diagnostics);
    });
    const view = statusView(this.state, countFindings(found), this.settings().failLevel);
    this.status.text = view.text;
    this.status.detail = view.detail;
    this.status.busy = view.busy;
    this.status.severity = LANGUAGE_STATUS_SEVERITY[view.severity] as vscode.LanguageStatusSeverity;
  }

  private commandEnv(): CommandEnv {
    return {
      client: () => (this.state === "running" ? this.client : undefined),
      workspaceRoot: () => this.workspaceRoot(),
      workspaceUri: () => this.workspaceUri(),
      settings: () => this.settings(),
      restart: () => this.restart(),
      showLogs: () => this.showLogs(),
      log: (message) => this.log(message),
    };
  }

  dispose(): void {
    void this.stop();
    this.disposables.forEach((d) => d.dispose());
  }
}

let current: XyguardExtension | undefined;

export async function activate(context: vscode.ExtensionContext, deps: Omit<ExtensionDeps, "extensionPath"> = {}): Promise<XyguardExtension> {
  current = new XyguardExtension({ ...deps, extensionPath: context.extensionPath });
  context.subscriptions.push(current);
  current.offerToAgents();
  await current.start();
  void current.followPythonInterpreter();
  return current;
}

export async function deactivate(): Promise<void> {
  const ext = current;
  current = undefined;
  await ext?.stop();
}
