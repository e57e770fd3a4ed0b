// The extension's pure logic: settings, server launch, status text, rendering.
import "./support/use-stub";

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { globToRegExp, matchesAny } from "../src/globs";
import { BUNDLE_SCRIPT, findOnPath, resolveServerLaunch, type LaunchInputs } from "../src/launch";
import { renderEditReport, renderGoalState, renderRequestReport } from "../src/render";
import { answerConfiguration, classifyChange, readSettings, serverSettings, type XyguardSettings } from "../src/settings";
import { countFindings, failing, statusView } from "../src/status";

const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

describe("settings", () => {
  it("defaults to warning, everything selected, drift on, no model", () => {
    const s = readSettings(reader({}));
    assert.equal(s.failLevel, "warning");
    assert.equal(s.enable, true);
    assert.equal(s.importStrategy, "fromEnvironment");
    assert.deepEqual(serverSettings(s), {
      failLevel: "warning", ignore: [], drift: true, driftBaseline: "head", llm: { model: null }, requestGlobs: ["**/*.request.md"],
    });
  });

  it("leaves Copilot's *.prompt.md alone unless the user adds it, and never sends an empty glob list", () => {
    assert.deepEqual(readSettings(reader({})).requestGlobs, ["**/*.request.md"]);
    assert.deepEqual(readSettings(reader({ requestGlobs: [] })).requestGlobs, ["**/*.request.md"]);
    assert.deepEqual(readSettings(reader({ requestGlobs: ["**/*.request.md", "**/*.prompt.md"] })).requestGlobs,
      ["**/*.request.md", "**/*.prompt.md"]);
    assert.equal(readSettings(reader({ enable: false })).enable, false);
    assert.equal(readSettings(reader({ importStrategy: "useBundled" })).importStrategy, "useBundled");
    assert.equal(readSettings(reader({ importStrategy: "whatever" })).importStrategy, "fromEnvironment");
  });

  it("maps VS Code keys to the server's shape", () => {
    const s = readSettings(reader({
      failLevel: "error", select: ["XY", "DR202"], ignore: "DR212, DR213", "drift.enabled": false, "llm.model": " ollama/qwen ",
      "drift.baseline": "session", "session.id": " s1 ",
    }));
    assert.deepEqual(serverSettings(s), {
      failLevel: "error", select: ["XY", "DR202"], ignore: ["DR212", "DR213"], drift: false, driftBaseline: "session",
      llm: { model: "ollama/qwen" }, session: "s1", requestGlobs: ["**/*.request.md"],
    });
  });

  it("replaces an unknown fail level or drift baseline with the default instead of passing it on", () => {
    assert.equal(readSettings(reader({ failLevel: "fatal" })).failLevel, "warning");
    assert.equal(readSettings(reader({ "drift.baseline": "yesterday" })).driftBaseline, "head");
  });

  it("restarts for launch settings and notifies for live ones", () => {
    const affects = (changed: string[]) => (section: string) => changed.includes(section);
    assert.equal(classifyChange(affects(["xyguard.enable"])), "enable");
    assert.equal(classifyChange(affects(["xyguard.importStrategy"])), "restart");
    assert.equal(classifyChange(affects(["xyguard.requestGlobs"])), "restart");
    assert.equal(classifyChange(affects(["xyguard.server.pythonPath"])), "restart");
    assert.equal(classifyChange(affects(["xyguard.server.command"])), "restart");
    assert.equal(classifyChange(affects(["xyguard.llm.model"])), "restart");
    assert.equal(classifyChange(affects(["xyguard.failLevel"])), "notify");
    assert.equal(classifyChange(affects(["xyguard.drift.enabled"])), "notify");
    assert.equal(classifyChange(affects(["xyguard.drift.baseline"])), "notify");
    assert.equal(classifyChange(affects(["xyguard.session.id"])), "notify");
    assert.equal(classifyChange(affects(["editor.fontSize"])), "none");
  });

  it("answers workspace/configuration for our section in the server's shape, others untouched", () => {
    const answer = answerConfiguration(
      [{ section: "xyguard" }, { section: "editor" }],
      [{ failLevel: "info", drift: { enabled: false } }, { tabSize: 4 }],
      () => readSettings(reader({ failLevel: "info", "drift.enabled": false })),
    );
    assert.deepEqual(answer[0], {
      failLevel: "info", ignore: [], drift: false, driftBaseline: "head", llm: { model: null }, requestGlobs: ["**/*.request.md"],
    });
    assert.deepEqual(answer[1], { tabSize: 4 });
  });
});

describe("server launch", () => {
  const none = () => undefined;
  const EXT = "/ext";
  const SCRIPT = path.join(EXT, BUNDLE_SCRIPT);
  const base: LaunchInputs["settings"] = { serverCommand: [], pythonPath: "", importStrategy: "fromEnvironment" };
  const inputs = (over: Partial<LaunchInputs> = {}, settings: Partial<typeof base> = {}): LaunchInputs => ({
    settings: { ...base, ...settings }, findExecutable: none, extensionPath: EXT, exists: (f) => f === SCRIPT, ...over,
  });

  it("uses the configured command first, expanding ${workspaceFolder}", () => {
    const launch = resolveServerLaunch(inputs({ findExecutable: () => "/usr/bin/xyguard", workspaceFolder: "/repo" },
      { serverCommand: ["${workspaceFolder}/.venv/bin/xyguard", "lsp"], pythonPath: "/usr/bin/python3" }));
    assert.deepEqual([launch.command, launch.args, launch.origin], ["/repo/.venv/bin/xyguard", ["lsp"], "xyguard.server.command"]);
    const mcp = resolveServerLaunch(inputs({}, { serverCommand: ["/opt/xyguard", "lsp", "--log", "x"] }), "mcp");
    assert.deepEqual([mcp.command, mcp.args], ["/opt/xyguard", ["mcp", "--log", "x"]]);
  });

  it("accepts the command as one string", () => {
    const s = readSettings(reader({ "server.command": "xyguard lsp --tcp 0" }));
    assert.deepEqual(resolveServerLaunch(inputs({}, s)).args, ["lsp", "--tcp", "0"]);
  });

  it("runs the bundled launcher with the configured interpreter, passing the import strategy", () => {
    const launch = resolveServerLaunch(inputs({ findExecutable: () => "/usr/bin/xyguard" }, { pythonPath: "~/venv/bin/python" }));
    assert.equal(launch.command, path.join(os.homedir(), "venv/bin/python"));
    assert.deepEqual(launch.args, [SCRIPT, "lsp"]);
    assert.deepEqual(launch.env, { XYGUARD_IMPORT_STRATEGY: "fromEnvironment" });
    assert.equal(launch.origin, "xyguard.server.pythonPath");
    const bundled = resolveServerLaunch(inputs({}, { pythonPath: "/py", importStrategy: "useBundled" }), "mcp");
    assert.deepEqual([bundled.args, bundled.env], [[SCRIPT, "mcp"], { XYGUARD_IMPORT_STRATEGY: "useBundled" }]);
  });

  it("takes the Python extension's interpreter when no interpreter is configured", () => {
    const launch = resolveServerLaunch(inputs({ pythonFromExtension: ["/proj/.venv/bin/python"], findExecutable: () => "/usr/bin/xyguard" }));
    assert.deepEqual([launch.command, launch.args, launch.origin], ["/proj/.venv/bin/python", [SCRIPT, "lsp"], "Python extension"]);
    // A setting still wins over the Python extension's choice.
    assert.equal(resolveServerLaunch(inputs({ pythonFromExtension: ["/proj/.venv/bin/python"] }, { pythonPath: "/py" })).command, "/py");
    // A command prefix (conda run ...) is kept whole.
    const conda = resolveServerLaunch(inputs({ pythonFromExtension: ["conda", "run", "-n", "x", "python"] }));
    assert.deepEqual([conda.command, conda.args], ["conda", ["run", "-n", "x", "python", SCRIPT, "lsp"]]);
  });

  it("without an interpreter: xyguard on PATH (fromEnvironment), else python3 with the bundle", () => {
    const onPath = resolveServerLaunch(inputs({ findExecutable: (n) => (n === "xyguard" ? "/opt/bin/xyguard" : "/usr/bin/python3") }));
    assert.deepEqual([onPath.command, onPath.args, onPath.origin], ["/opt/bin/xyguard", ["lsp"], "PATH"]);
    const useBundled = resolveServerLaunch(inputs({ findExecutable: (n) => (n === "xyguard" ? "/opt/bin/xyguard" : "/usr/bin/python3") },
      { importStrategy: "useBundled" }));
    assert.deepEqual([useBundled.command, useBundled.args], ["/usr/bin/python3", [SCRIPT, "lsp"]]);
    const python = resolveServerLaunch(inputs({ findExecutable: (n) => (n === "python" ? "/usr/bin/python" : undefined) }));
    assert.deepEqual([python.command, python.origin], ["/usr/bin/python", "python on PATH"]);
    assert.equal(resolveServerLaunch(inputs()).command, "python3");
  });

  it("a copy without the launcher (a development checkout) runs the module", () => {
    const launch = resolveServerLaunch(inputs({ exists: () => false }, { pythonPath: "/py" }));
    assert.deepEqual([launch.command, launch.args, launch.env], ["/py", ["-m", "xyguard.server", "lsp"], {}]);
  });

  it("finds only executable files on PATH", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xyguard-path-"));
    const first = path.join(dir, "a");
    const second = path.join(dir, "b");
    fs.mkdirSync(first);
    fs.mkdirSync(second);
    fs.writeFileSync(path.join(first, "xyguard"), "not executable", { mode: 0o644 });
    fs.mkdirSync(path.join(first, "python3"));
    fs.writeFileSync(path.join(second, "xyguard"), "#!/bin/sh\n", { mode: 0o755 });
    try {
      assert.equal(findOnPath("xyguard", [first, second].join(path.delimiter), "linux"), path.join(second, "xyguard"));
      assert.equal(findOnPath("python3", first, "linux"), undefined);
      assert.equal(findOnPath("xyguard", "", "linux"), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("language status", () => {
  it("counts diagnostics by severity, and those at or above the fail level", () => {
    const counts = countFindings([{ severity: 0 }, { severity: 1 }, { severity: 1 }, { severity: 3 }]);
    assert.deepEqual(counts, { error: 1, warning: 2, info: 0, hint: 1 });
    assert.equal(failing(counts, "error"), 1);
    assert.equal(failing(counts, "warning"), 3);
    assert.equal(failing(counts, "hint"), 4);
  });

  it("turns red when findings reach xyguard.failLevel, not only on errors", () => {
    const warnings = { error: 0, warning: 2, info: 0, hint: 0 };
    const atWarning = statusView("running", warnings, "warning");
    assert.equal(atWarning.text, "$(error) xyguard 2");
    assert.equal(atWarning.severity, "error");
    assert.match(atWarning.detail, /2 open findings \(2 warnings\); 2 at or above warning/);
    const atError = statusView("running", warnings, "error");
    assert.equal(atError.severity, "information");
    assert.equal(atError.text, "$(info) xyguard 2");
    assert.match(atError.detail, /none at or above error/);
    assert.equal(statusView("running", countFindings([]), "warning").text, "$(check) xyguard");
  });

  it("shows the server state when it is not running", () => {
    assert.equal(statusView("starting", countFindings([]), "warning").busy, true);
    assert.match(statusView("failed", countFindings([]), "warning").detail, /did not start/);
    assert.equal(statusView("failed", countFindings([]), "warning").severity, "error");
    assert.equal(statusView("stopped", countFindings([]), "warning").severity, "warning");
    assert.match(statusView("disabled", countFindings([]), "warning").detail, /xyguard.enable/);
  });
});

describe("globs", () => {
  it("match like the server's requestGlobs", () => {
    assert.ok(matchesAny("/w/a/task.request.md", ["**/*.request.md"]));
    assert.ok(matchesAny("C:\\w\\TASK.REQUEST.MD", ["**/*.request.md"]));
    assert.ok(!matchesAny("/w/.github/prompts/x.prompt.md", ["**/*.request.md"]));
    assert.ok(matchesAny("/w/b.task.md", ["*.{request,task}.md"]));
    assert.ok(matchesAny("/w/docs/a/b.txt", ["docs/**/*.txt"]));
    assert.ok(!matchesAny("/w/mydocs/b.txt", ["docs/**/*.txt"]));
    assert.ok(globToRegExp("[unbalanced") instanceof RegExp);
  });
});

describe("rendering", () => {
  it("puts the clarifying question first and lists findings with their codes", () => {
    const md = renderRequestReport({
      clarify: { needed: true, question: "Which element: the shortest or the longest?", codes: ["XY111"] },
      intent: { immediate: "return an element", final_goals: [], background: ["stay in Python"], autonomy: [] },
      complexity: "simple",
      findings: [{ code: "XY111", severity: "warning", message: "Open alternatives", evidence: "shortest or longest" }],
      concretized: "Return the longest element.",
    });
    assert.match(md, /\*\*Ask before acting:\*\* Which element/);
    assert.match(md, /- \*\*XY111\*\* \(warning\): Open alternatives/);
    assert.match(md, /- stay in Python/);
    assert.match(md, /Return the longest element\./);
  });

  it("shows edit findings with file and line, and skipped checks", () => {
    const md = renderEditReport({
      findings: [{ code: "DR202", severity: "error", message: "fetch() removed", path: "api.py", range: { start: { line: 4, character: 0 } } }],
      summary: { files: 2, added: 10, removed: 3 },
      skipped: [{ check: "history", reason: "no git history" }],
    });
    assert.match(md, /2 file\(s\), \+10 −3/);
    assert.match(md, /\*\*DR202\*\* \(error\) `api.py:5`: fetch\(\) removed/);
    assert.match(md, /- history: no git history/);
  });

  it("renders each goal-state category, tolerating strings and objects", () => {
    const md = renderGoalState({ objectives: ["fix login"], requirements: [{ text: "no new dependencies", turn: 1 }] }, "s1");
    assert.match(md, /session s1/);
    assert.match(md, /## Objectives\n\n- fix login/);
    assert.match(md, /- no new dependencies \(turn 1\)/);
    assert.match(md, /## Policy\n\n- \(none\)/);
    assert.match(renderGoalState(null, ""), /No goal state recorded yet/);
  });
});
