// The real Python server driven over stdio by vscode-languageserver-protocol, the
// library vscode-languageclient is built on: no VS Code needed.
//
// XYGUARD_PYTHON chooses the interpreter (default: the repository's .venv).

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";

import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

import { DEFAULT_SESSION, serverSettings, readSettings } from "../src/settings";
import { git, makeGitRepo } from "./support/gitrepo";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function python(): string {
  if (process.env.XYGUARD_PYTHON) {
    return process.env.XYGUARD_PYTHON;
  }
  const venv = path.join(REPO_ROOT, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

function makeWorkspace(): string {
  return makeGitRepo({
    "parser.py": '"""Parse configuration files."""\n\n\ndef parse_config(text):\n    """Return a dict of key/value pairs."""\n'
      + '    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)\n',
  });
}

// A request a careful colleague would not act on without asking: no referent, open alternatives.
const VAGUE_REQUEST = "Fix it so that it works again. Return a certain element of the list (the shortest or longest or another), etc.\n";

describe("protocol: the real server over stdio", { timeout: 60_000 }, () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let workspace: string;
  let stderr = "";
  let settings = serverSettings(readSettings({ get: () => undefined }));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];

  before(async () => {
    workspace = makeWorkspace();
    server = spawn(python(), ["-m", "xyguard.server", "lsp"], { cwd: workspace, stdio: ["pipe", "pipe", "pipe"] });
    server.stderr!.on("data", (chunk) => { stderr += chunk.toString(); });
    // A server that dies must fail the test with its own words, not leave it waiting.
    const exited = new Promise<never>((_, reject) => {
      server.on("error", (err) => reject(new Error(`cannot start ${python()}: ${err.message}`)));
      server.on("exit", (code) => reject(new Error(`the server exited (code ${code}) before answering; stderr:\n${stderr.slice(-2000)}`)));
    });
    exited.catch(() => undefined);
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      published.push(params);
      waiters.splice(0).forEach((w) => w());
    });
    // What VS Code answers to the server's own requests.
    connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === "xyguard" ? settings : null)));
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("client/registerCapability", () => null);
    connection.onNotification("window/logMessage", () => undefined);
    connection.onNotification("$/progress", () => undefined);
    connection.listen();
    const rootUri = pathToFileURL(workspace).toString();
    const initialize = connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "ws" }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
      },
      initializationOptions: settings,
    });
    await Promise.race([initialize, exited]);
    await connection.sendNotification("initialized", {});
  });

  after(async () => {
    try {
      await Promise.race([connection.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 3000))]);
      await connection.sendNotification("exit");
    } catch {
      // the server may already be gone; it is killed below either way
    }
    connection?.dispose();
    server?.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  async function diagnosticsFor(uri: string, version: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = published.find((p) => p.uri === uri && (p.version === undefined || p.version === version) && p.diagnostics.length > 0);
      if (hit) {
        return hit.diagnostics;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        assert.fail(`no diagnostics for ${uri} within ${timeoutMs} ms; server stderr:\n${stderr.slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  it("publishes request diagnostics with xyguard codes for an opened request document", async () => {
    const uri = pathToFileURL(path.join(workspace, "task.request.md")).toString();
    await connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "xyguard-request", version: 1, text: VAGUE_REQUEST },
    });
    const diagnostics = await diagnosticsFor(uri, 1);
    const codes = diagnostics.map((d) => String(d.code));
    assert.ok(codes.every((c) => /^XY1\d\d$/.test(c)), `unexpected codes ${codes}`);
    for (const d of diagnostics) {
      // Every diagnostic points inside the document (one line of text).
      assert.ok(d.range.start.line >= 0 && d.range.end.line <= 1, JSON.stringify(d.range));
      assert.ok(d.message.length > 0);
    }
  });

  it("answers xyguard/analyzeRequest the way the Check request command expects", async () => {
    const report = await connection.sendRequest<any>("xyguard/analyzeRequest", { text: VAGUE_REQUEST });
    assert.equal(typeof report.clarify.needed, "boolean");
    assert.equal(report.clarify.needed, true);
    assert.ok(Array.isArray(report.findings) && report.findings.length > 0);
    assert.ok(typeof report.intent.immediate === "string");
  });

  it("checks pending changes as the command asks: the server reads the folder's work tree", async () => {
    // The module rewritten in Rust (an untracked file), the Python file deleted: a language switch (DR201).
    fs.rmSync(path.join(workspace, "parser.py"));
    fs.writeFileSync(path.join(workspace, "parser.rs"), "pub fn parse_config(text: &str) -> Vec<(String, String)> {\n    Vec::new()\n}\n");
    try {
      const report = await connection.sendRequest<any>("xyguard/checkEdit", { worktree: true, uri: pathToFileURL(workspace).toString() });
      assert.equal(report.summary.files, 2);
      assert.ok(report.findings.some((f: any) => f.code === "DR201" && f.path === "parser.rs"),
        JSON.stringify(report.findings.map((f: any) => [f.code, f.path])));
      assert.equal(report.blocking, true);
    } finally {
      git(workspace, "checkout", "-q", "--", "parser.py");
      fs.rmSync(path.join(workspace, "parser.rs"), { force: true });
    }
  });

  it("answers xyguard/session/get with the goal state the command shows", async () => {
    const state = await connection.sendRequest<any>("xyguard/session/get", { root: workspace, session: DEFAULT_SESSION });
    assert.ok(state && typeof state === "object");
    assert.ok(Array.isArray(state.objectives) || typeof state.objectives === "object", JSON.stringify(state));
  });

  it("measures drift from the session start when the settings say so", async () => {
    // A session starts, then a commit breaks parse_config's signature: against HEAD nothing changed.
    await connection.sendRequest("xyguard/session/update", { root: workspace, session: "s1", text: "Make parse_config stricter." });
    const strict = fs.readFileSync(path.join(workspace, "parser.py"), "utf8").replace("def parse_config(text):", "def parse_config(text, strict):");
    fs.writeFileSync(path.join(workspace, "parser.py"), strict);
    git(workspace, "commit", "-q", "-am", "strict parsing");
    const values: Record<string, unknown> = { "drift.baseline": "session", "session.id": "s1" };
    settings = serverSettings(readSettings({ get: <T>(key: string) => values[key] as T | undefined }));
    await connection.sendNotification("workspace/didChangeConfiguration", { settings: { xyguard: settings } });
    const uri = pathToFileURL(path.join(workspace, "parser.py")).toString();
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "python", version: 1, text: strict } });
    const diagnostics = await diagnosticsFor(uri, 1);
    assert.ok(diagnostics.some((d) => d.code === "DR202" && /parse_config/.test(d.message)),
      JSON.stringify(diagnostics.map((d) => [d.code, d.message])));
  });
});
