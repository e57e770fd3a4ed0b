// Wiring: settings -> server process -> language client, plus the status bar,
// the output channel and the commands. The logic lives in the modules it imports.

import * as vscode from "vscode";
import type { LanguageClientOptions } from "vscode-languageclient/node";

import { registerCommands, type CommandEnv, type LspRequester } from "./commands";
import { findOnPath, resolveServerLaunch, type ExecutableFinder, type ServerLaunch } from "./launch";
import { SECTION, answerConfiguration, classifyChange, readSettings, serverSettings, type XyguardSettings } from "./settings";
import { countFindings, statusView, type ServerState } from "./status";

/** The parts of vscode-languageclient's LanguageClient the extension uses. */
export interface ClientLike extends LspRequester {
  start(): Promise<void>;
  stop(): Promise<void>;
  sendNotification(method: string, params: unknown): Promise<void>;
  onDidChangeState(listener: (event: { newState: number }) => void): vscode.Disposable;
  readonly diagnostics: vscode.DiagnosticCollection | undefined;
}

export type ClientFactory = (launch: ServerLaunch, cwd: string | undefined, options: LanguageClientOptions) => ClientLike;

// vscode-languageclient's State enum: Stopped = 1, Running = 2, Starting = 3.
const CLIENT_STATES: Record<number, ServerState> = { 1: "stopped", 2: "running", 3: "starting" };

// Request documents, and the source languages drift diagnostics cover.
const SOURCE_LANGUAGES = ["python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "rust", "java"];

export function documentSelector(): ({ language: string; scheme?: string } | { scheme: string; pattern: string })[] {
  return [
    { language: "xyguard-request" },
    { scheme: "file", pattern: "**/*.{prompt,request}.md" },
    ...SOURCE_LANGUAGES.map((language) => ({ scheme: "file", language })),
  ];
}

function createLanguageClient(launch: ServerLaunch, cwd: string | undefined, options: LanguageClientOptions): ClientLike {
  // Loaded lazily so that the unit tests (stub `vscode`) never load the real client.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const lc = require("vscode-languageclient/node") as typeof import("vscode-languageclient/node");
  const server = { command: launch.command, args: launch.args, transport: lc.TransportKind.stdio, options: { cwd } };
  return new lc.LanguageClient("xyguard", "xyguard", server, options) as unknown as ClientLike;
}

export class XyguardExtension implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  readonly statusItem: vscode.StatusBarItem;
  private client: ClientLike | undefined;
  private state: ServerState = "stopped";
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly createClient: ClientFactory = createLanguageClient,
    private readonly findExecutable: ExecutableFinder = (name) => findOnPath(name),
  ) {
    this.output = vscode.window.createOutputChannel("xyguard");
    this.statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = "xyguard";
    this.statusItem.command = "xyguard.restartServer";
    this.statusItem.show();
    this.disposables.push(this.output, this.statusItem);
    this.disposables.push(...registerCommands(this.commandEnv()));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)));
    this.disposables.push(vscode.languages.onDidChangeDiagnostics(() => this.updateStatus()));
    this.updateStatus();
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

  launch(): ServerLaunch {
    return resolveServerLaunch(this.settings(), this.findExecutable, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  }

  clientOptions(): LanguageClientOptions {
    return {
      documentSelector: documentSelector(),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      initializationOptions: serverSettings(this.settings()),
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
    const launch = this.launch();
    this.output.appendLine(`Starting the server: ${[launch.command, ...launch.args].join(" ")} (from ${launch.origin})`);
    const client = this.createClient(launch, this.workspaceRoot(), this.clientOptions());
    this.client = client;
    this.clientDisposables.push(client.onDidChangeState((e) => this.setState(CLIENT_STATES[e.newState] ?? "stopped")));
    this.setState("starting");
    try {
      await client.start();
      this.setState("running");
    } catch (err) {
      this.setState("failed");
      const message = err instanceof Error ? err.message : String(err);
      this.output.appendLine(`The server did not start: ${message}`);
      void vscode.window.showErrorMessage(
        `xyguard: could not start the server (${launch.command}). Install xyguard or set xyguard.server.pythonPath / xyguard.server.command.`);
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
        this.output.appendLine(`Stopping the server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.setState("stopped");
  }

  async restart(): Promise<void> {
    this.output.appendLine("Restarting the server.");
    await this.stop();
    await this.start();
  }

  private async onSettingsChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    const change = classifyChange((section) => event.affectsConfiguration(section));
    if (change === "restart") {
      await this.restart();
    } else if (change === "notify" && this.client && this.state === "running") {
      // The server also pulls `workspace/configuration`; pushing the new values saves a round trip.
      await this.client.sendNotification("workspace/didChangeConfiguration", { settings: { [SECTION]: serverSettings(this.settings()) } });
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
    const view = statusView(this.state, countFindings(found));
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.backgroundColor = view.alert ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
  }

  private commandEnv(): CommandEnv {
    return {
      client: () => (this.state === "running" ? this.client : undefined),
      workspaceRoot: () => this.workspaceRoot(),
      workspaceUri: () => this.workspaceUri(),
      settings: () => this.settings(),
      restart: () => this.restart(),
      log: (message) => this.output.appendLine(message),
    };
  }

  dispose(): void {
    void this.stop();
    this.disposables.forEach((d) => d.dispose());
  }
}

let current: XyguardExtension | undefined;

export async function activate(context: vscode.ExtensionContext, createClient?: ClientFactory): Promise<XyguardExtension> {
  current = new XyguardExtension(createClient);
  context.subscriptions.push(current);
  await current.start();
  return current;
}

export async function deactivate(): Promise<void> {
  const ext = current;
  current = undefined;
  await ext?.stop();
}
