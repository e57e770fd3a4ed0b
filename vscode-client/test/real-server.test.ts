// The extension against the REAL xyguard server: activation (the manifest's events evaluated on real
// folders), the language status item, the commands and the clean-tree case. VS Code itself is the
// stub `vscode` module; the language client is ProtocolClient, which starts the exact command line
// the extension built and speaks LSP to the Python server over stdio.
//
// XYGUARD_PYTHON chooses the interpreter (default: the repository's .venv).
import "./support/use-stub";

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { activate, deactivate, SOURCE_LANGUAGES, type XyguardExtension } from "../src/extension";
import { globToRegExp } from "../src/globs";
import { git, makeGitRepo } from "./support/gitrepo";
import { ProtocolClient, selects } from "./support/protocol-client";
import * as vscode from "./support/vscode-stub";

const EXTENSION_DIR = path.resolve(__dirname, "..", "..");
const REPO_ROOT = path.resolve(EXTENSION_DIR, "..");
const LAUNCHER = path.join(EXTENSION_DIR, "bundled", "tool", "lsp_server.py");
const MANIFEST = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));

function python(): string {
  if (process.env.XYGUARD_PYTHON) {
    return process.env.XYGUARD_PYTHON;
  }
  const venv = path.join(REPO_ROOT, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

// ---- activation: what VS Code would do with package.json's activationEvents ---------------------------

function files(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== ".git" && entry.name !== "node_modules") {
        out.push(...files(root, child));
      }
    } else {
      out.push(child);
    }
  }
  return out;
}

/** The first activation event that fires for a folder (with these languages opened), or undefined. */
function activationFor(folder: string, openedLanguages: string[] = []): string | undefined {
  const all = files(folder);
  return (MANIFEST.activationEvents as string[]).find((event) => {
    const [kind, arg] = [event.slice(0, event.indexOf(":")), event.slice(event.indexOf(":") + 1)];
    if (kind === "onLanguage") {
      return openedLanguages.includes(arg);
    }
    if (kind === "workspaceContains") {
      // A plain path is checked for existence (a folder counts: `.git`); a glob searches the files.
      return /[*?{[]/.test(arg) ? all.some((f) => globToRegExp(arg).test(f)) : fs.existsSync(path.join(folder, arg));
    }
    return false;
  });
}

/** The language VS Code gives a file from the contributed languages (the longest matching extension wins). */
function contributedLanguage(fileName: string): string | undefined {
  const hits = (MANIFEST.contributes.languages as { id: string; extensions?: string[] }[])
    .flatMap((l) => (l.extensions ?? []).filter((e) => fileName.toLowerCase().endsWith(e)).map((e) => ({ id: l.id, e })))
    .sort((a, b) => b.e.length - a.e.length);
  return hits[0]?.id;
}

describe("activation where the work is", () => {
  const made: string[] = [];
  const folder = (layout: Record<string, string>, withGit = false): string => {
    const root = withGit ? makeGitRepo(layout) : fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "xyguard-act-")));
    if (!withGit) {
      for (const [rel, text] of Object.entries(layout)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
    }
    made.push(root);
    return root;
  };
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("activates in an ordinary git checkout (a flask-like tree) before any file is opened", () => {
    const flask = folder({ "pyproject.toml": "[project]\nname='flask'\n", "src/flask/helpers.py": "def send_file(): ...\n" }, true);
    assert.equal(activationFor(flask), "workspaceContains:.git");
  });

  it("activates on source files in the indexed languages without git, and on opening one", () => {
    for (const file of ["main.go", "lib/x.rs", "src/App.java", "web/app.tsx", "tool.py", "index.js"]) {
      assert.match(activationFor(folder({ [file]: "x\n" })) ?? "", /^workspaceContains:\*\*\/\*\.\{/, file);
    }
    for (const language of SOURCE_LANGUAGES) {
      assert.equal(activationFor(folder({ "notes.txt": "hi\n" }), [language]), `onLanguage:${language}`);
    }
  });

  it("activates on request documents and .xyguard.toml, and stays out of an unrelated folder", () => {
    assert.equal(activationFor(folder({ "plans/task.request.md": "Fix it.\n" })), "workspaceContains:**/*.request.md");
    assert.equal(activationFor(folder({ ".xyguard.toml": "fail_level = 'error'\n" })), "workspaceContains:.xyguard.toml");
    assert.equal(activationFor(folder({ "README.md": "# notes\n", "photo.png": "" })), undefined);
    assert.equal(activationFor(folder({ ".github/prompts/review.prompt.md": "Review.\n" })), undefined);
  });

  it("claims *.request.md as xyguard-request and leaves *.prompt.md to VS Code's prompt language", () => {
    assert.equal(contributedLanguage("task.request.md"), "xyguard-request");
    assert.equal(contributedLanguage(".github/prompts/review.prompt.md"), undefined);
  });
});

// ---- the extension driving the real server --------------------------------------------------------

const CONFIG_PY = '"""Reading key=value configuration files."""\n\n\ndef parse_config(path):\n'
  + '    """Parse KEY=VALUE lines into a dict."""\n    result = {}\n    with open(path) as handle:\n'
  + '        for line in handle:\n            key, value = line.split("=", 1)\n            result[key.strip()] = value.strip()\n'
  + "    return result\n";
const STRICT = CONFIG_PY.replace("def parse_config(path):", "def parse_config(path, strict):");
const VAGUE = "Fix it so that it works again. Return a certain element of the list (the shortest or longest or another), etc.\n";

describe("the extension with the real server", { timeout: 180_000 }, () => {
  let workspace: string;
  let ext: XyguardExtension;
  const clients: ProtocolClient[] = [];
  const context = { extensionPath: EXTENSION_DIR, subscriptions: [] as { dispose(): void }[] };
  const client = () => clients[clients.length - 1];
  const at = (rel: string) => path.join(workspace, rel);

  before(async () => {
    vscode.resetStub();
    workspace = makeGitRepo({
      "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n',
      "src/app/__init__.py": "",
      "src/app/config.py": CONFIG_PY,
    });
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(workspace), name: "app", index: 0 }];
    vscode.recorded.settings = { "server.pythonPath": python() };
    ext = await activate(context as any, {
      createClient: (launch, cwd, options) => {
        const created = new ProtocolClient(launch, cwd, options);
        clients.push(created);
        return created;
      },
      pythonInterpreter: async () => undefined,
    });
  });

  after(async () => {
    await deactivate();
    context.subscriptions.forEach((d) => d.dispose());
    for (const c of clients) {
      await c.stop();
    }
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it("starts the server with the command line it built: the interpreter runs the bundled launcher", () => {
    assert.equal(ext.serverState, "running", client()?.stderr);
    assert.deepEqual([client().launch.command, client().launch.args], [python(), [LAUNCHER, "lsp"]]);
    assert.deepEqual(client().launch.env, { XYGUARD_IMPORT_STRATEGY: "fromEnvironment" });
    assert.ok(vscode.recorded.outputLines.some((l) => l.startsWith(`Starting the server: ${python()} ${LAUNCHER} lsp`)));
    const status = vscode.recorded.languageStatus[0];
    assert.equal(status.text, "$(check) xyguard");
  });

  it("publishes request diagnostics; the status item counts them and follows failLevel", async () => {
    const status = vscode.recorded.languageStatus[0];
    assert.ok(await client().open(at("task.request.md"), "xyguard-request", VAGUE));
    const diagnostics = await client().waitFor(at("task.request.md"), (d) => d.length > 0, "request diagnostics");
    assert.ok(diagnostics.every((d) => /^XY1\d\d$/.test(String(d.code))), JSON.stringify(diagnostics.map((d) => d.code)));
    const warnings = diagnostics.filter((d) => d.severity === 2).length; // LSP DiagnosticSeverity.Warning
    assert.ok(warnings > 0, "expected warnings for a vague request");
    assert.match(status.text, new RegExp(`xyguard ${diagnostics.length}$`));
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Error); // warnings fail at the default level
    await vscode.changeSettings({ failLevel: "error" });
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Information);
    await vscode.changeSettings({ failLevel: "warning" });
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Error);
    // The item shows with the documents xyguard serves, and not with Copilot's prompt files.
    assert.ok(selects(status.selector as any, { uri: client().uri(at("task.request.md")), languageId: "xyguard-request" }));
    assert.ok(selects(status.selector as any, { uri: client().uri(at("src/app/config.py")), languageId: "python" }));
    assert.ok(!selects(status.selector as any, { uri: client().uri(at(".github/prompts/p.prompt.md")), languageId: "prompt" }));
  });

  it("never sends Copilot's prompt files to the server", async () => {
    assert.equal(await client().open(at(".github/prompts/p.prompt.md"), "prompt", VAGUE), false);
    assert.equal(await client().open(at("notes/p.prompt.md"), "markdown", VAGUE), false);
  });

  it("shows drift on a source file from the first edit", async () => {
    const file = at("src/app/config.py");
    assert.ok(await client().open(file, "python", CONFIG_PY));
    await client().waitFor(file, (d) => d.length === 0, "the unchanged file analysed");
    const version = await client().change(file, STRICT);
    const drift = await client().waitFor(file, (d, v) => v === version && d.some((x) => x.code === "DR202"), "DR202 after the first edit");
    assert.match(drift.find((d) => d.code === "DR202")!.message, /parse_config/);
  });

  it("Check pending changes on a clean tree says there is nothing to check", async () => {
    assert.equal(git(workspace, "status", "--porcelain"), "", "the work tree should be clean (edits are unsaved)");
    const report = await vscode.commands.executeCommand("xyguard.checkPendingChanges");
    assert.equal(vscode.recorded.opened.length, 0, `an empty report was opened for ${JSON.stringify(report)}`);
    assert.match(vscode.recorded.infos.at(-1) ?? "", /nothing to check/);
  });

  it("Check pending changes with a change on disk opens the report", async () => {
    fs.rmSync(at("src/app/config.py"));
    fs.writeFileSync(at("src/app/config.rs"), "pub fn parse_config(text: &str) -> Vec<(String, String)> {\n    Vec::new()\n}\n");
    try {
      await vscode.commands.executeCommand("xyguard.checkPendingChanges");
      assert.equal(vscode.recorded.opened.length, 1);
      assert.match(vscode.recorded.opened[0].content ?? "", /\*\*DR201\*\*/);
    } finally {
      git(workspace, "checkout", "-q", "--", "src/app/config.py");
      fs.rmSync(at("src/app/config.rs"), { force: true });
      vscode.recorded.opened = [];
    }
  });

  it("Check request… sends the active request document and shows the report", async () => {
    vscode.window.activeTextEditor = vscode.makeEditor(vscode.makeDocument(at("task.request.md"), "xyguard-request", VAGUE));
    await vscode.commands.executeCommand("xyguard.checkRequest");
    assert.match(vscode.recorded.opened.at(-1)?.content ?? "", /\*\*Ask before acting:\*\*/);
    vscode.window.activeTextEditor = undefined;
  });

  it("Show logs shows the output channel", async () => {
    const before = vscode.recorded.logShown;
    await vscode.commands.executeCommand("xyguard.showLogs");
    assert.equal(vscode.recorded.logShown, before + 1);
  });

  it("Restart server starts a new server process that publishes again", async () => {
    const old = client();
    await vscode.commands.executeCommand("xyguard.restartServer");
    assert.equal(clients.length, 2);
    assert.ok(old.exited, "the old server process is gone");
    assert.notEqual(client().process!.pid, old.process!.pid);
    assert.equal(ext.serverState, "running");
    await client().open(at("task.request.md"), "xyguard-request", VAGUE);
    await client().waitFor(at("task.request.md"), (d) => d.length > 0, "diagnostics from the new server");
  });

  it("xyguard.enable off stops the server", async () => {
    await vscode.changeSettings({ enable: false });
    assert.equal(ext.serverState, "disabled");
    assert.ok(client().exited, "the server process is gone");
    assert.match(vscode.recorded.languageStatus[0].detail ?? "", /disabled/);
  });
});
