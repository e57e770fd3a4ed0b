// The extension wired up against the stub `vscode` and a recording language client:
// what a user sees (status bar, messages, documents) and what the server is asked.
import "./support/use-stub";

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import type { ServerLaunch } from "../src/launch";
import { XyguardExtension, type ClientLike } from "../src/extension";
import * as vscode from "./support/vscode-stub";

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

function setup(options: { failStart?: boolean; findExecutable?: (n: string) => string | undefined } = {}) {
  const clients: RecordingClient[] = [];
  const ext = new XyguardExtension(
    (launch, _cwd, clientOptions) => {
      const client = new RecordingClient(launch, clientOptions, ANSWERS, options.failStart);
      clients.push(client);
      return client;
    },
    options.findExecutable ?? ((name) => (name === "xyguard" ? "/usr/local/bin/xyguard" : undefined)),
  );
  return { ext, clients, status: vscode.recorded.statusItems[0] };
}

describe("extension", () => {
  beforeEach(() => vscode.resetStub());

  it("registers the four commands", () => {
    setup();
    assert.deepEqual(vscode.commands.registered().sort(),
      ["xyguard.checkPendingChanges", "xyguard.checkRequest", "xyguard.restartServer", "xyguard.showGoalState"]);
  });

  it("starts xyguard lsp from PATH with the settings as initializationOptions", async () => {
    vscode.recorded.settings = { failLevel: "error", ignore: ["DR212"] };
    const { ext, clients, status } = setup();
    await ext.start();
    assert.equal(clients.length, 1);
    assert.deepEqual([clients[0].launch.command, clients[0].launch.args], ["/usr/local/bin/xyguard", ["lsp"]]);
    assert.deepEqual(clients[0].options.initializationOptions, { failLevel: "error", ignore: ["DR212"], drift: true, driftBaseline: "head", llm: { model: null } });
    assert.ok(clients[0].options.documentSelector.some((s: any) => s.language === "xyguard-request"));
    assert.equal(ext.serverState, "running");
    assert.equal(status.text, "$(check) xyguard");
    assert.ok(status.visible);
  });

  it("shows the count of open findings in the status bar", async () => {
    const { ext, clients, status } = setup();
    await ext.start();
    clients[0].entries = [["file:///a.prompt.md", [{ severity: 1 }, { severity: 1 }]], ["file:///b.py", [{ severity: 0 }]]];
    await vscode.fireDiagnosticsChanged();
    assert.equal(status.text, "$(error) xyguard 3");
    assert.match(status.tooltip ?? "", /1 error, 2 warnings/);
  });

  it("reports a server that cannot start, and the commands say so instead of hanging", async () => {
    const { ext, status } = setup({ failStart: true });
    await ext.start();
    assert.equal(ext.serverState, "failed");
    assert.match(status.text, /\$\(error\) xyguard/);
    assert.match(vscode.recorded.errors[0], /could not start the server/);
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
    assert.deepEqual([clients[1].launch.command, clients[1].launch.args], ["/opt/py/bin/python", ["-m", "xyguard.server", "lsp"]]);
    assert.equal(ext.serverState, "running");
  });

  it("pushes live settings to the running server without a restart", async () => {
    const { ext, clients } = setup();
    await ext.start();
    await vscode.changeSettings({ "drift.enabled": false });
    assert.equal(clients.length, 1);
    assert.deepEqual(clients[0].notifications, [{
      method: "workspace/didChangeConfiguration",
      params: { settings: { xyguard: { failLevel: "warning", ignore: [], drift: false, driftBaseline: "head", llm: { model: null } } } },
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
    assert.deepEqual(answer, [{ failLevel: "warning", ignore: [], drift: false, driftBaseline: "head", llm: { model: "ollama/x" } }]);
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
      const doc = vscode.makeDocument("/work/project/task.prompt.md", "markdown", "Improve the parser.");
      vscode.window.activeTextEditor = vscode.makeEditor(doc);
      await vscode.commands.executeCommand("xyguard.checkRequest");
      assert.deepEqual(clients[0].requests[0].params, { text: "Improve the parser.", uri: "file:///work/project/task.prompt.md" });
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
    (clients[0] as any).answers = { "xyguard/checkEdit": { findings: [], summary: { files: 0, added: 0, removed: 0 }, skipped: [] } };
    await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.equal(clients[0].requests.length, 1);
    assert.match(vscode.recorded.infos[0], /no pending changes/);
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
