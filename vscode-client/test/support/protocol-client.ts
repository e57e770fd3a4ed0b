// A language client for the extension's tests that talks to the REAL xyguard server: it starts the
// exact command line the extension built (ServerLaunch), speaks LSP over stdio through
// vscode-languageserver-protocol (what vscode-languageclient is built on), answers the server's
// requests through the extension's own middleware, and syncs only the documents the extension's
// documentSelector matches, as VS Code would.

import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

import type { ClientLike, DocumentFilter } from "../../src/extension";
import { globToRegExp } from "../../src/globs";
import type { ServerLaunch } from "../../src/launch";
import * as vscode from "./vscode-stub";

/** vscode.languages.match: does a document filter select this document? */
export function selects(filters: DocumentFilter[], doc: { uri: string; languageId: string }): boolean {
  const scheme = doc.uri.split(":", 1)[0];
  const file = scheme === "file" ? decodeURIComponent(new URL(doc.uri).pathname) : doc.uri;
  return filters.some((f) => {
    if ("scheme" in f && f.scheme && f.scheme !== scheme) {
      return false;
    }
    if ("language" in f && f.language && f.language !== doc.languageId) {
      return false;
    }
    if ("pattern" in f && f.pattern && !globToRegExp(f.pattern).test(file)) {
      return false;
    }
    return true;
  });
}

export class ProtocolClient implements ClientLike {
  process: ChildProcess | undefined;
  connection: ProtocolConnection | undefined;
  stderr = "";
  readonly published: PublishDiagnosticsParams[] = [];
  /** Documents this client actually sent to the server (what the selector let through). */
  readonly synced: string[] = [];
  private readonly store = new Map<string, Diagnostic[]>();
  private readonly versions = new Map<string, number>();
  private stateListeners: ((e: { newState: number }) => void)[] = [];
  private waiters: (() => void)[] = [];
  exited: { code: number | null; signal: string | null } | undefined;

  constructor(readonly launch: ServerLaunch, readonly cwd: string | undefined, readonly options: any,
              private readonly env: NodeJS.ProcessEnv = process.env) {}

  private setState(newState: number): void {
    this.stateListeners.forEach((l) => l({ newState }));
  }

  async start(): Promise<void> {
    this.setState(3);
    const child = spawn(this.launch.command, this.launch.args, {
      cwd: this.cwd, env: { ...this.env, ...this.launch.env }, stdio: ["pipe", "pipe", "pipe"],
    });
    this.process = child;
    child.stderr!.on("data", (chunk) => { this.stderr += chunk.toString(); });
    const died = new Promise<never>((_, reject) => {
      child.on("error", (err) => reject(new Error(`cannot start ${this.launch.command}: ${err.message}`)));
      child.on("exit", (code, signal) => {
        this.exited = { code, signal };
        this.setState(1);
        reject(new Error(`the server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr.slice(-3000)}`));
      });
    });
    died.catch(() => undefined);
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection = connection;
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      // VS Code's DiagnosticSeverity is LSP's minus one.
      this.store.set(params.uri, params.diagnostics.map((d) => ({ ...d, severity: (d.severity ?? 1) - 1 }) as Diagnostic));
      this.waiters.splice(0).forEach((w) => w());
      void vscode.fireDiagnosticsChanged();
    });
    connection.onRequest("workspace/configuration", async (params: { items: { section?: string; scopeUri?: string }[] }) => {
      const middleware = this.options.middleware?.workspace?.configuration;
      const next = async () => params.items.map(() => null);
      return middleware ? middleware(params, undefined, next) : next();
    });
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("client/unregisterCapability", () => null);
    connection.onNotification("window/logMessage", (p: { message: string }) => this.options.outputChannel?.appendLine(p.message));
    connection.onNotification("window/showMessage", () => undefined);
    connection.onNotification("$/progress", () => undefined);
    connection.listen();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ uri: f.uri.toString(), name: f.name }));
    const initialize = connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
      },
      initializationOptions: this.options.initializationOptions,
    });
    await Promise.race([initialize, died]);
    await connection.sendNotification("initialized", {});
    this.setState(2);
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    const child = this.process;
    this.connection = undefined;
    if (connection && !this.exited) {
      try {
        await Promise.race([connection.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 5000))]);
        await connection.sendNotification("exit");
      } catch {
        // gone already
      }
    }
    connection?.dispose();
    if (child && !this.exited) {
      await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
      child.kill();
    }
  }

  async sendRequest<R>(method: string, params: unknown): Promise<R> {
    return this.connection!.sendRequest(method, params) as Promise<R>;
  }

  async sendNotification(method: string, params: unknown): Promise<void> {
    await this.connection!.sendNotification(method, params);
  }

  onDidChangeState(listener: (e: { newState: number }) => void) {
    this.stateListeners.push(listener);
    return new vscode.Disposable(() => {
      this.stateListeners = this.stateListeners.filter((l) => l !== listener);
    });
  }

  get diagnostics() {
    const store = this.store;
    return { forEach: (fn: (uri: unknown, d: unknown[]) => void) => store.forEach((d, uri) => fn(uri, d)) } as any;
  }

  // ---- what VS Code does when the user opens and types ------------------------------

  /** Opens a document; returns false when the documentSelector does not take it (nothing is sent). */
  async open(file: string, languageId: string, text: string): Promise<boolean> {
    const uri = pathToFileURL(path.resolve(file)).toString();
    if (!selects(this.options.documentSelector, { uri, languageId })) {
      return false;
    }
    this.synced.push(uri);
    this.versions.set(uri, 1);
    await this.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return true;
  }

  async change(file: string, text: string): Promise<number> {
    const uri = pathToFileURL(path.resolve(file)).toString();
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  uri(file: string): string {
    return pathToFileURL(path.resolve(file)).toString();
  }

  /** Waits (up to `timeoutMs`, generous) until `predicate` holds for the latest publish of `file`. */
  async waitFor(file: string, predicate: (d: Diagnostic[], version?: number) => boolean, what: string, timeoutMs = 30_000): Promise<Diagnostic[]> {
    const uri = this.uri(file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const latest = [...this.published].reverse().find((p) => p.uri === uri);
      if (latest && predicate(latest.diagnostics, latest.version)) {
        return latest.diagnostics;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; last publish: ${JSON.stringify(latest?.diagnostics.map((d) => d.code))}; `
          + `server stderr:\n${this.stderr.slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }
}
