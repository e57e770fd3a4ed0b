// The packaged extension, as a user without xyguard gets it: build the .vsix once (esbuild bundle,
// xyguard and its dependencies pip-installed into bundled/libs, vsce), check what it holds, unpack it
// in a temp folder, and start the server with the command line the extension builds, using the
// system's python3 in a clean environment where xyguard is importable from nowhere. It must answer
// `initialize` and publish a diagnostic for a request document.
//
// Building downloads xyguard's dependencies from PyPI (pip). XYGUARD_EXTRA_PYTHONS (paths separated by
// the platform's delimiter) runs the unpacked server with more interpreters, e.g. other 3.x versions.
import "./support/use-stub";

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { documentSelector } from "../src/extension";
import { findOnPath, resolveServerLaunch } from "../src/launch";
import { readSettings, serverSettings } from "../src/settings";
import { makeGitRepo } from "./support/gitrepo";
import { ProtocolClient } from "./support/protocol-client";
import * as vscode from "./support/vscode-stub";

const EXTENSION_DIR = path.resolve(__dirname, "..", "..");
const VAGUE = "Fix it so that it works again. Return a certain element of the list (the shortest or longest or another), etc.\n";

function systemPython(): string {
  for (const candidate of ["/usr/bin/python3", "/usr/local/bin/python3"]) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  const found = findOnPath("python3") ?? findOnPath("python");
  assert.ok(found, "no python3 to run the unpacked server with");
  return found;
}

function pythonForTools(): string {
  return process.env.PYTHON ?? (fs.existsSync(path.join(EXTENSION_DIR, "..", ".venv", "bin", "python"))
    ? path.join(EXTENSION_DIR, "..", ".venv", "bin", "python") : "python3");
}

function zipEntries(vsix: string): { name: string; size: number }[] {
  const out = spawnSync(pythonForTools(), ["-c",
    "import json, sys, zipfile; print(json.dumps([[i.filename, i.file_size] for i in zipfile.ZipFile(sys.argv[1]).infolist()]))", vsix],
  { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return (JSON.parse(out.stdout) as [string, number][]).map(([name, size]) => ({ name, size }));
}

describe("the packaged .vsix", { timeout: 600_000 }, () => {
  let tmp: string;
  let vsix: string;
  let unpacked: string;
  let entries: { name: string; size: number }[];
  const cleanups: (() => Promise<void> | void)[] = [];

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "xyguard-vsix-")));
    vsix = path.join(tmp, "xyguard.vsix");
    const build = spawnSync(process.execPath, [path.join(EXTENSION_DIR, "scripts", "package.js"), "--out", vsix],
      { cwd: EXTENSION_DIR, encoding: "utf8", env: { ...process.env, PYTHON: pythonForTools() } });
    assert.equal(build.status, 0, `packaging failed:\n${build.stdout.slice(-3000)}\n${build.stderr.slice(-3000)}`);
    entries = zipEntries(vsix);
    unpacked = path.join(tmp, "unpacked");
    const unzip = spawnSync(pythonForTools(), ["-m", "zipfile", "-e", vsix, unpacked], { encoding: "utf8" });
    assert.equal(unzip.status, 0, unzip.stderr);
  });

  after(async () => {
    for (const cleanup of cleanups) {
      await cleanup();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("holds one bundled extension file, the launcher, xyguard with its libraries and the icon; no node_modules", () => {
    const names = new Set(entries.map((e) => e.name));
    for (const needed of ["extension/package.json", "extension/dist/extension.js", "extension/bundled/tool/lsp_server.py",
      "extension/bundled/libs/xyguard/server/__main__.py", "extension/bundled/libs/xyguard/analyzers/__init__.py",
      "extension/bundled/libs/pygls/__init__.py", "extension/bundled/libs/tree_sitter/__init__.py", "extension/images/icon.png",
      "extension/syntaxes/xyguard-request.tmLanguage.json"]) {
      assert.ok(names.has(needed), `${needed} is missing from the .vsix`);
    }
    const stray = entries.filter((e) => /^extension\/(node_modules|out|src|test|scripts)\//.test(e.name) || e.name.endsWith(".ts")
      || e.name.includes("__pycache__"));
    assert.deepEqual(stray.map((e) => e.name), []);
    const js = entries.filter((e) => e.name.endsWith(".js"));
    assert.deepEqual(js.map((e) => e.name), ["extension/dist/extension.js"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "extension", "package.json"), "utf8"));
    assert.equal(manifest.main, "./dist/extension.js");
    assert.doesNotMatch(JSON.stringify(manifest), /example\.invalid/);
    const size = fs.statSync(vsix).size;
    console.log(`# .vsix: ${(size / 1e6).toFixed(1)} MB, ${entries.length} files `
      + `(${entries.filter((e) => e.name.startsWith("extension/bundled/libs/")).length} in bundled/libs)`);
  });

  it("its one-file extension loads and activates (the esbuild bundle has everything it requires)", async () => {
    vscode.resetStub();
    vscode.recorded.settings = { "server.pythonPath": "/usr/bin/python3" };
    const bundle = path.join(unpacked, "extension", "dist", "extension.js");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const loaded = require(bundle) as typeof import("../src/extension");
    const launches: unknown[] = [];
    const context = { extensionPath: path.join(unpacked, "extension"), subscriptions: [] as { dispose(): void }[] };
    const ext = await loaded.activate(context as any, {
      createClient: (launch) => {
        launches.push([launch.command, ...launch.args]);
        return { start: async () => undefined, stop: async () => undefined, sendNotification: async () => undefined,
          sendRequest: async () => undefined as any, onDidChangeState: () => new vscode.Disposable(), diagnostics: undefined };
      },
      pythonInterpreter: async () => undefined,
    });
    assert.equal(ext.serverState, "running");
    assert.deepEqual(launches, [["/usr/bin/python3", path.join(unpacked, "extension", "bundled", "tool", "lsp_server.py"), "lsp"]]);
    assert.ok(vscode.commands.registered().includes("xyguard.showLogs"));
    assert.equal(vscode.recorded.mcpProviders.length, 1);
    await loaded.deactivate();
    context.subscriptions.forEach((d) => d.dispose());
  });

  async function serveFromTheUnpackedCopy(pythonPath: string, importStrategy: "fromEnvironment" | "useBundled"): Promise<void> {
    const home = fs.mkdtempSync(path.join(tmp, "home-"));
    // No PYTHONPATH, no virtualenv, no user site with xyguard, cwd outside any checkout.
    const env: NodeJS.ProcessEnv = { PATH: "/usr/bin:/bin", HOME: home, LANG: "C.UTF-8" };
    const elsewhere = fs.mkdtempSync(path.join(tmp, "cwd-"));
    const probe = spawnSync(pythonPath, ["-c", "import xyguard"], { cwd: elsewhere, env, encoding: "utf8" });
    assert.notEqual(probe.status, 0, `${pythonPath} can import xyguard already; the test would prove nothing`);

    const settings = readSettings({ get: <T>(key: string) => ({ "server.pythonPath": pythonPath, importStrategy } as Record<string, unknown>)[key] as T });
    const launch = resolveServerLaunch({
      settings, findExecutable: () => undefined, extensionPath: path.join(unpacked, "extension"),
    });
    assert.deepEqual([launch.command, launch.args], [pythonPath, [path.join(unpacked, "extension", "bundled", "tool", "lsp_server.py"), "lsp"]]);

    const workspace = makeGitRepo({ "app.py": "def main():\n    return 1\n" });
    cleanups.push(() => fs.rmSync(workspace, { recursive: true, force: true }));
    vscode.resetStub();
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(workspace), name: "ws", index: 0 }];
    const client = new ProtocolClient(launch, elsewhere, {
      documentSelector: documentSelector(settings.requestGlobs),
      initializationOptions: serverSettings(settings),
    }, env);
    cleanups.push(() => client.stop());
    await client.start(); // answered `initialize`, or threw with the server's stderr
    assert.ok(await client.open(path.join(workspace, "task.request.md"), "xyguard-request", VAGUE));
    const diagnostics = await client.waitFor(path.join(workspace, "task.request.md"), (d) => d.length > 0,
      `a diagnostic from the bundled server (${pythonPath}, ${importStrategy})`, 60_000);
    assert.ok(diagnostics.every((d) => /^XY1\d\d$/.test(String(d.code))));
    await client.stop();
  }

  it("serves from the unpacked copy with the system python3 and nothing installed (fromEnvironment falls back)", async () => {
    await serveFromTheUnpackedCopy(systemPython(), "fromEnvironment");
  });

  it("serves with importStrategy useBundled", async () => {
    await serveFromTheUnpackedCopy(systemPython(), "useBundled");
  });

  for (const extra of (process.env.XYGUARD_EXTRA_PYTHONS ?? "").split(path.delimiter).filter(Boolean)) {
    it(`serves with ${extra}`, async () => {
      await serveFromTheUnpackedCopy(extra, "useBundled");
    });
  }
});
