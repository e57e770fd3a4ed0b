// The extension wired up against the stub `vscode` and a recording language client:
// what a user sees (status bar, messages, documents) and what the server is asked.
import "./support/use-stub";

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import * as path from "node:path";

import type { ServerLaunch } from "../src/launch";
import { activate, documentSelector, XyguardExtension, type ClientLike, type ExtensionDeps } from "../src/extension";
import { MCP_PROVIDER_ID } from "../src/mcp";
import * as vscode from "./support/vscode-stub";

const EXTENSION_DIR = path.resolve(__dirname, "..", "..");
const LAUNCHER = path.join(EXTENSION_DIR, "bundled", "tool", "lsp_server.py");

class RecordingClient implements ClientLike {
  requests: { method: string; params: unknown }[] = [];
  notifications: { method: string; params: unknown }[] = [];
  stopped = false;
  entries: [unknown, { severity: number }[]][] = [];
  private stateListeners: ((e: { newState: number }) => void)[] = [];

  constructor(readonly launch: ServerLaunch, readonly options: any, private readonly answers: Record<string, unknown>, private readonly failStart = false) {}

  async start(): Promise<void> {
    if (this.failStart) {
      throw new Error("spawn xyguard ENOENT");
    }
    this.stateListeners.forEach((l) => l({ newState: 2 }));
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  async sendRequest<R>(method: string, params: unknown): Promise<R> {
    this.requests.push({ method, params });
    if (!(method in this.answers)) {
      throw new Error(`unhandled method ${method}`);
    }
    return this.answers[method] as R;
  }
  async sendNotification(method: string, params: unknown): Promise<void> {
    this.notifications.push({ method, params });
  }
  onDidChangeState(listener: (e: { newState: number }) => void) {
    this.stateListeners.push(listener);
    return new vscode.Disposable();
  }
  get diagnostics() {
    const entries = this.entries;
    return { forEach: (fn: (uri: unknown, d: unknown[]) => void) => entries.forEach(([u, d]) => fn(u, d)) } as any;
  }
}

const ANSWERS = {
  "xyguard/analyzeRequest": {
    clarify: { needed: true, question: "Do you want the file extension or the last three characters?", codes: ["XY101"] },
    intent: { immediate: "get the last three characters", final_goals: ["get the file extension"], background: [], autonomy: [] },
    complexity: "simple",
    findings: [{ code: "XY101", severity: "warning", message: "XY pattern" }],
  },
  "xyguard/checkEdit": { findings: [{ code: "DR201", severity: "error", message: "Rust in a Python repository", path: "parse.rs" }], summary: { files: 1, added: 40, removed: 0 } },
  "xyguard/session/get": { objectives: ["fix login"], requirements: ["no new dependencies"] },
};

function setup(options: { failStart?: boolean; findExecutable?: (n: string) => string | undefined; python?: string[] } = {}) {
  const clients: RecordingClient[] = [];
  const deps: ExtensionDeps = {
    extensionPath: EXTENSION_DIR,
    createClient: (launch, _cwd, clientOptions) => {
      const client = new RecordingClient(launch, clientOptions, ANSWERS, options.failStart);
      clients.push(client);
      return client;
    },
    findExecutable: options.findExecutable ?? ((name) => (name === "xyguard" ? "/usr/local/bin/xyguard" : undefined)),
    pythonInterpreter: async () => options.python,
  };
  const ext = new XyguardExtension(deps);
  return { ext, clients, deps, status: vscode.recorded.languageStatus[0] };
}

const DEFAULT_SERVER_SETTINGS = { failLevel: "warning", ignore: [], drift: true, driftBaseline: "head", llm: { model: null }, requestGlobs: ["**/*.request.md"] };

describe("extension", () => {
  beforeEach(() => vscode.resetStub());

  it("registers the commands", () => {
    setup();
    assert.deepEqual(vscode.commands.registered().sort(),
      ["xyguard.checkPendingChanges", "xyguard.checkRequest", "xyguard.restartServer", "xyguard.showGoalState", "xyguard.showLogs"]);
  });

  it("starts xyguard lsp from PATH with the settings as initializationOptions", async () => {
    vscode.recorded.settings = { failLevel: "error", ignore: ["DR212"] };
    const { ext, clients, status } = setup();
    await ext.start();
    assert.equal(clients.length, 1);
    assert.deepEqual([clients[0].launch.command, clients[0].launch.args], ["/usr/local/bin/xyguard", ["lsp"]]);
    assert.deepEqual(clients[0].options.initializationOptions, { ...DEFAULT_SERVER_SETTINGS, failLevel: "error", ignore: ["DR212"] });
    assert.ok(clients[0].options.documentSelector.some((s: any) => s.language === "xyguard-request"));
    assert.equal(ext.serverState, "running");
    assert.equal(status.text, "$(check) xyguard");
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Information);
  });

  it("creates vscode-languageclient's client with the id that reads xyguard.trace.server, and the launch's env", async () => {
    // The real LanguageClient needs VS Code; record what the extension constructs it with instead.
    const modulePath = require.resolve("vscode-languageclient/node");
    const saved = require.cache[modulePath];
    const made: any[] = [];
    class FakeLanguageClient {
      constructor(...args: any[]) { made.push(args); }
      async start() { /* running */ }
      async stop() { /* stopped */ }
      onDidChangeState() { return new vscode.Disposable(); }
    }
    require.cache[modulePath] = { exports: { LanguageClient: FakeLanguageClient, TransportKind: { stdio: 0 } } } as any;
    try {
      vscode.recorded.settings = { "server.pythonPath": "/py" };
      const ext = new XyguardExtension({ extensionPath: EXTENSION_DIR, pythonInterpreter: async () => undefined });
      await ext.start();
      const [id, name, server, options] = made[0];
      assert.deepEqual([id, name], ["xyguard", "xyguard"]);
      assert.deepEqual([server.command, server.args, server.transport], ["/py", [LAUNCHER, "lsp"], 0]);
      assert.equal(server.options.env.XYGUARD_IMPORT_STRATEGY, "fromEnvironment");
      assert.equal(server.options.env.PATH, process.env.PATH);
      assert.equal(options.traceOutputChannel, ext.output);
      ext.dispose(); // no later settings change may reach this instance
    } finally {
      if (saved) {
        require.cache[modulePath] = saved;
      } else {
        delete require.cache[modulePath];
      }
    }
    const manifest = require(path.join(EXTENSION_DIR, "package.json"));
    assert.deepEqual(manifest.contributes.configuration.properties["xyguard.trace.server"].enum, ["off", "messages", "verbose"]);
  });

  it("syncs request documents and source files on disk, and leaves Copilot's prompt files alone", () => {
    const selector = documentSelector(["**/*.request.md"]);
    for (const language of ["python", "javascript", "typescript", "typescriptreact", "go", "rust", "java"]) {
      assert.ok(selector.some((f: any) => f.language === language && f.scheme === "file"), language);
    }
    assert.ok(selector.some((f: any) => f.pattern === "**/*.request.md"));
    assert.ok(!selector.some((f: any) => String(f.pattern).includes("prompt") || f.language === "prompt"));
  });

  it("scopes the language status item to the documents it serves; clicking it shows the log", async () => {
    vscode.recorded.settings = { requestGlobs: ["**/*.request.md", "**/*.prompt.md"] };
    const { ext, status } = setup();
    await ext.start();
    assert.equal(status.id, "xyguard.status");
    assert.deepEqual(status.selector, documentSelector(["**/*.request.md", "**/*.prompt.md"]));
    assert.deepEqual(status.command, { title: "Show logs", command: "xyguard.showLogs", tooltip: "Show the xyguard log" });
    await vscode.commands.executeCommand(status.command!.command);
    assert.equal(vscode.recorded.logShown, 1);
  });

  it("shows the count of open findings, coloured by xyguard.failLevel", async () => {
    const { ext, clients, status } = setup();
    await ext.start();
    clients[0].entries = [["file:///a.request.md", [{ severity: 1 }, { severity: 1 }]], ["file:///b.py", [{ severity: 2 }]]];
    await vscode.fireDiagnosticsChanged();
    assert.equal(status.text, "$(error) xyguard 3");
    assert.match(status.detail ?? "", /2 warnings, 1 info/);
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Error); // warnings fail at the default level
    await vscode.changeSettings({ failLevel: "error" });
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Information);
    assert.equal(status.text, "$(info) xyguard 3");
  });

  it("reports a server that cannot start, and the commands say so instead of hanging", async () => {
    const { ext, status } = setup({ failStart: true });
    await ext.start();
    assert.equal(ext.serverState, "failed");
    assert.match(status.text, /\$\(error\) xyguard/);
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Error);
    assert.match(vscode.recorded.errors[0], /the server did not start with \/usr\/local\/bin\/xyguard \(from PATH\)/);
    assert.ok(vscode.recorded.outputLines.some((l) => l.includes("ENOENT")));
    vscode.recorded.inputAnswers = ["Add a Rust helper"];
    await vscode.commands.executeCommand("xyguard.checkRequest");
    assert.match(vscode.recorded.errors[1], /not running/);
  });

  it("restarts the server with the new interpreter when the settings change", async () => {
    const { ext, clients } = setup();
    await ext.start();
    await vscode.changeSettings({ "server.pythonPath": "/opt/py/bin/python" });
    assert.equal(clients.length, 2);
    assert.ok(clients[0].stopped);
    assert.deepEqual([clients[1].launch.command, clients[1].launch.args], ["/opt/py/bin/python", [LAUNCHER, "lsp"]]);
    assert.equal(ext.serverState, "running");
  });

  it("runs the server with the Python extension's interpreter when one is selected", async () => {
    const { ext, clients } = setup({ python: ["/proj/.venv/bin/python"] });
    await ext.start();
    assert.deepEqual([clients[0].launch.command, clients[0].launch.args, clients[0].launch.origin],
      ["/proj/.venv/bin/python", [LAUNCHER, "lsp"], "Python extension"]);
    assert.ok(vscode.recorded.outputLines.some((l) => l.includes("(from Python extension)")));
  });

  it("asks the real Python extension API for the selected environment", async () => {
    const { interpreterFromPythonExtension } = await import("../src/python");
    assert.equal(await interpreterFromPythonExtension(undefined, () => undefined), undefined); // not installed
    const asked: unknown[] = [];
    vscode.installedExtensions.set("ms-python.python", {
      isActive: false,
      exports: undefined,
      activate: async () => ({
        ready: Promise.resolve(),
        environments: {
          getActiveEnvironmentPath: (resource: unknown) => { asked.push(resource); return { id: "venv", path: "/proj/.venv" }; },
          resolveEnvironment: async () => ({ executable: { uri: { fsPath: "/proj/.venv/bin/python" } } }),
        },
      }),
    });
    const folder = vscode.Uri.file("/proj");
    assert.deepEqual(await interpreterFromPythonExtension(folder as any, () => undefined), ["/proj/.venv/bin/python"]);
    assert.deepEqual(asked, [folder]);
    // An older Python extension: settings.getExecutionDetails.
    vscode.installedExtensions.set("ms-python.python", {
      isActive: true, activate: async () => undefined,
      exports: { settings: { getExecutionDetails: () => ({ execCommand: ["/usr/bin/python3.12"] }) } },
    });
    assert.deepEqual(await interpreterFromPythonExtension(undefined, () => undefined), ["/usr/bin/python3.12"]);
  });

  it("xyguard.enable: off stops the server and says so; on starts it again", async () => {
    const { ext, clients, status } = setup();
    await ext.start();
    await vscode.changeSettings({ enable: false });
    assert.ok(clients[0].stopped);
    assert.equal(ext.serverState, "disabled");
    assert.match(status.detail ?? "", /disabled/);
    await vscode.changeSettings({ enable: true });
    assert.equal(clients.length, 2);
    assert.equal(ext.serverState, "running");
  });

  it("does not start at all when disabled", async () => {
    vscode.recorded.settings = { enable: false };
    const { ext, clients } = setup();
    await ext.start();
    assert.equal(clients.length, 0);
    assert.equal(ext.serverState, "disabled");
  });

  it("restarts with the new document selector when the request globs change", async () => {
    const { ext, clients, status } = setup();
    await ext.start();
    await vscode.changeSettings({ requestGlobs: ["**/*.request.md", "**/*.prompt.md"] });
    assert.equal(clients.length, 2);
    assert.ok(clients[1].options.documentSelector.some((f: any) => f.pattern === "**/*.prompt.md"));
    assert.deepEqual(clients[1].options.initializationOptions.requestGlobs, ["**/*.request.md", "**/*.prompt.md"]);
    assert.deepEqual(status.selector, clients[1].options.documentSelector);
  });

  it("pushes live settings to the running server without a restart", async () => {
    const { ext, clients } = setup();
    await ext.start();
    await vscode.changeSettings({ "drift.enabled": false });
    assert.equal(clients.length, 1);
    assert.deepEqual(clients[0].notifications, [{
      method: "workspace/didChangeConfiguration",
      params: { settings: { xyguard: { ...DEFAULT_SERVER_SETTINGS, drift: false } } },
    }]);
  });

  it("restarts on the restart command", async () => {
    const { ext, clients } = setup();
    await ext.start();
    await vscode.commands.executeCommand("xyguard.restartServer");
    assert.equal(clients.length, 2);
    assert.ok(clients[0].stopped);
  });

  it("answers the server's configuration request in the server's shape", async () => {
    vscode.recorded.settings = { "drift.enabled": false, "llm.model": "ollama/x" };
    const { ext, clients } = setup();
    await ext.start();
    const middleware = clients[0].options.middleware.workspace.configuration;
    const answer = await middleware({ items: [{ section: "xyguard" }] }, undefined, async () => [{ drift: { enabled: false } }]);
    assert.deepEqual(answer, [{ ...DEFAULT_SERVER_SETTINGS, drift: false, llm: { model: "ollama/x" } }]);
  });

  describe("Check request…", () => {
    it("sends the selection to xyguard/analyzeRequest and shows the question", async () => {
      const { ext, clients } = setup();
      await ext.start();
      const doc = vscode.makeDocument("/work/project/notes.md", "markdown", "long notes");
      vscode.window.activeTextEditor = vscode.makeEditor(doc, "How do I get the last three characters of a filename?");
      await vscode.commands.executeCommand("xyguard.checkRequest");
      assert.deepEqual(clients[0].requests, [{ method: "xyguard/analyzeRequest", params: { text: "How do I get the last three characters of a filename?" } }]);
      assert.match(vscode.recorded.warnings[0], /file extension or the last three characters/);
      assert.match(vscode.recorded.opened[0].content ?? "", /XY101/);
      assert.equal(vscode.recorded.shown, 1);
    });

    it("checks the whole active prompt file with its uri when nothing is selected", async () => {
      const { ext, clients } = setup();
      await ext.start();
      const doc = vscode.makeDocument("/work/project/task.request.md", "markdown", "Improve the parser.");
      vscode.window.activeTextEditor = vscode.makeEditor(doc);
      await vscode.commands.executeCommand("xyguard.checkRequest");
      assert.deepEqual(clients[0].requests[0].params, { text: "Improve the parser.", uri: "file:///work/project/task.request.md" });
    });

    it("asks for the text when there is no selection or request document, with the session id", async () => {
      vscode.recorded.settings = { "session.id": "s1" };
      const { ext, clients } = setup();
      await ext.start();
      vscode.recorded.inputAnswers = ["Add a Rust helper to compute checksums"];
      await vscode.commands.executeCommand("xyguard.checkRequest");
      assert.deepEqual(clients[0].requests[0].params, { text: "Add a Rust helper to compute checksums", session: "s1" });
    });

    it("does nothing when the input box is dismissed", async () => {
      const { ext, clients } = setup();
      await ext.start();
      vscode.recorded.inputAnswers = [undefined];
      await vscode.commands.executeCommand("xyguard.checkRequest");
      assert.equal(clients[0].requests.length, 0);
      assert.equal(vscode.recorded.opened.length, 0);
    });
  });

  it("asks the server to check the work tree of the workspace folder, sending no diff", async () => {
    vscode.recorded.settings = { "session.id": "s1" };
    const { ext, clients } = setup();
    await ext.start();
    await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.deepEqual(clients[0].requests, [{
      method: "xyguard/checkEdit", params: { worktree: true, uri: "file:///work/project", session: "s1" },
    }]);
    assert.match(vscode.recorded.opened[0].content ?? "", /\*\*DR201\*\* \(error\) `parse.rs`/);
  });

  it("checks the folder of the active editor in a multi-root workspace", async () => {
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file("/work/one"), name: "one", index: 0 },
      { uri: vscode.Uri.file("/work/two"), name: "two", index: 1 }];
    const doc = vscode.makeDocument("/work/two/main.py", "python", "print(1)\n");
    vscode.window.activeTextEditor = vscode.makeEditor(doc);
    const { ext, clients } = setup();
    await ext.start();
    await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.deepEqual(clients[0].requests[0].params, { worktree: true, uri: "file:///work/two" });
  });

  it("says so when the server finds nothing pending, instead of opening an empty report", async () => {
    const { ext, clients } = setup();
    await ext.start();
    (clients[0] as any).answers = { "xyguard/checkEdit": { findings: [], summary: { files: 0, added: 0, removed: 0 },
      skipped: [{ check: "history", reason: "nothing changed" }] } };
    await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.equal(clients[0].requests.length, 1);
    assert.match(vscode.recorded.infos[0], /nothing to check/);
    assert.equal(vscode.recorded.opened.length, 0);
  });

  it("asks for a folder before checking pending changes", async () => {
    const { ext, clients } = setup();
    await ext.start();
    vscode.workspace.workspaceFolders = undefined;
    await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.equal(clients[0].requests.length, 0);
    assert.match(vscode.recorded.errors[0], /open a folder/);
  });

  it("shows the goal state from xyguard/session/get", async () => {
    const { ext, clients } = setup();
    await ext.start();
    await vscode.commands.executeCommand("xyguard.showGoalState");
    assert.deepEqual(clients[0].requests, [{ method: "xyguard/session/get", params: { root: "/work/project", session: "default" } }]);
    assert.match(vscode.recorded.opened[0].content ?? "", /- no new dependencies/);
  });

  it("shows a server error as a message rather than failing silently", async () => {
    const { ext, clients } = setup();
    await ext.start();
    delete (clients[0] as any).answers;
    (clients[0] as any).answers = {};
    await vscode.commands.executeCommand("xyguard.showGoalState");
    assert.match(vscode.recorded.errors[0], /xyguard\/session\/get failed: unhandled method/);
    assert.equal(vscode.recorded.opened.length, 0);
  });
});

describe("agent mode (MCP)", () => {
  beforeEach(() => vscode.resetStub());

  const context = () => ({ extensionPath: EXTENSION_DIR, subscriptions: [] as { dispose(): void }[] }) as any;
  const deps = (python?: string[]): Omit<ExtensionDeps, "extensionPath"> => ({
    createClient: (launch, _cwd, options) => new RecordingClient(launch, options, ANSWERS),
    findExecutable: (n) => (n === "python3" ? "/usr/bin/python3" : undefined),
    pythonInterpreter: async () => python,
  });

  it("offers `xyguard mcp`, started like the language server, to VS Code's agent mode", async () => {
    vscode.recorded.settings = { importStrategy: "useBundled" };
    const ctx = context();
    const ext = await activate(ctx, deps(["/proj/.venv/bin/python"]));
    assert.equal(vscode.recorded.mcpProviders.length, 1);
    const { id, provider } = vscode.recorded.mcpProviders[0];
    assert.equal(id, MCP_PROVIDER_ID);
    const [definition] = await provider.provideMcpServerDefinitions({});
    assert.ok(definition instanceof vscode.McpStdioServerDefinition);
    assert.equal(definition.label, "xyguard");
    assert.equal(definition.command, "/proj/.venv/bin/python");
    assert.deepEqual(definition.args, [LAUNCHER, "mcp"]);
    assert.deepEqual(definition.env, { XYGUARD_IMPORT_STRATEGY: "useBundled" });
    assert.equal(definition.cwd?.fsPath, "/work/project");
    assert.equal(await provider.resolveMcpServerDefinition(definition, {}), definition);
    // The language server runs the same interpreter and launcher.
    const lsp = ext.languageClient as unknown as RecordingClient;
    assert.deepEqual([lsp.launch.command, lsp.launch.args], ["/proj/.venv/bin/python", [LAUNCHER, "lsp"]]);
    // Settings that change the command tell VS Code to ask again; disabled: no server offered.
    let changes = 0;
    provider.onDidChangeMcpServerDefinitions(() => { changes += 1; });
    await vscode.changeSettings({ enable: false });
    assert.equal(changes, 1);
    assert.deepEqual(await provider.provideMcpServerDefinitions({}), []);
    ctx.subscriptions.forEach((d: { dispose(): void }) => d.dispose());
    assert.equal(vscode.recorded.mcpProviders.length, 0);
  });

  it("activates on a VS Code without the MCP API", async () => {
    vscode.setMcpApi(false);
    const ext = await activate(context(), deps());
    assert.equal(ext.serverState, "running");
    assert.ok(vscode.recorded.outputLines.some((l) => /no MCP server API/.test(l)));
    assert.equal(vscode.recorded.mcpProviders.length, 0);
  });
});
