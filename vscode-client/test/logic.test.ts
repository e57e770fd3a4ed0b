// The extension's pure logic: settings, server launch, status text, rendering.
import "./support/use-stub";

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { findOnPath, resolveServerLaunch } from "../src/launch";
import { renderEditReport, renderGoalState, renderRequestReport } from "../src/render";
import { answerConfiguration, classifyChange, readSettings, serverSettings, type XyguardSettings } from "../src/settings";
import { countFindings, statusView } from "../src/status";

const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

describe("settings", () => {
  it("defaults to warning, everything selected, drift on, no model", () => {
    const s = readSettings(reader({}));
    assert.equal(s.failLevel, "warning");
    assert.deepEqual(serverSettings(s), { failLevel: "warning", ignore: [], drift: true, driftBaseline: "head", llm: { model: null } });
  });

  it("maps VS Code keys to the server's shape", () => {
    const s = readSettings(reader({
      failLevel: "error", select: ["XY", "DR202"], ignore: "DR212, DR213", "drift.enabled": false, "llm.model": " ollama/qwen ",
      "drift.baseline": "session", "session.id": " s1 ",
    }));
    assert.deepEqual(serverSettings(s), {
      failLevel: "error", select: ["XY", "DR202"], ignore: ["DR212", "DR213"], drift: false, driftBaseline: "session",
      llm: { model: "ollama/qwen" }, session: "s1",
    });
  });

  it("replaces an unknown fail level or drift baseline with the default instead of passing it on", () => {
    assert.equal(readSettings(reader({ failLevel: "fatal" })).failLevel, "warning");
    assert.equal(readSettings(reader({ "drift.baseline": "yesterday" })).driftBaseline, "head");
  });

  it("restarts for launch settings and notifies for live ones", () => {
    const affects = (changed: string[]) => (section: string) => changed.includes(section);
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
    assert.deepEqual(answer[0], { failLevel: "info", ignore: [], drift: false, driftBaseline: "head", llm: { model: null } });
    assert.deepEqual(answer[1], { tabSize: 4 });
  });
});

describe("server launch", () => {
  const none = () => undefined;
  const base: Pick<XyguardSettings, "serverCommand" | "pythonPath"> = { serverCommand: [], pythonPath: "" };

  it("uses the configured command first, expanding ${workspaceFolder}", () => {
    const launch = resolveServerLaunch({ serverCommand: ["${workspaceFolder}/.venv/bin/xyguard", "lsp"], pythonPath: "/usr/bin/python3" },
      () => "/usr/bin/xyguard", "/repo");
    assert.deepEqual([launch.command, launch.args, launch.origin], ["/repo/.venv/bin/xyguard", ["lsp"], "xyguard.server.command"]);
  });

  it("accepts the command as one string", () => {
    const s = readSettings(reader({ "server.command": "xyguard lsp --tcp 0" }));
    assert.deepEqual(resolveServerLaunch(s, none).args, ["lsp", "--tcp", "0"]);
  });

  it("runs the module with the configured interpreter", () => {
    const launch = resolveServerLaunch({ ...base, pythonPath: "~/venv/bin/python" }, () => "/usr/bin/xyguard");
    assert.equal(launch.command, path.join(os.homedir(), "venv/bin/python"));
    assert.deepEqual(launch.args, ["-m", "xyguard.server", "lsp"]);
  });

  it("prefers xyguard on PATH, then falls back to python -m", () => {
    assert.deepEqual(resolveServerLaunch(base, (n) => (n === "xyguard" ? "/opt/bin/xyguard" : undefined)).args, ["lsp"]);
    const fallback = resolveServerLaunch(base, (n) => (n === "python3" ? "/usr/bin/python3" : undefined));
    assert.deepEqual([fallback.command, fallback.args], ["/usr/bin/python3", ["-m", "xyguard.server", "lsp"]]);
    assert.equal(resolveServerLaunch(base, none).command, "python3");
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

describe("status bar", () => {
  it("counts diagnostics by severity", () => {
    const counts = countFindings([{ severity: 0 }, { severity: 1 }, { severity: 1 }, { severity: 3 }]);
    assert.deepEqual(counts, { error: 1, warning: 2, info: 0, hint: 1 });
  });

  it("shows the open findings while running", () => {
    const view = statusView("running", { error: 1, warning: 2, info: 0, hint: 0 });
    assert.equal(view.text, "$(error) xyguard 3");
    assert.match(view.tooltip, /3 open findings \(1 error, 2 warnings\)/);
    assert.equal(view.alert, true);
    assert.equal(statusView("running", { error: 0, warning: 1, info: 0, hint: 0 }).text, "$(warning) xyguard 1");
    assert.equal(statusView("running", { error: 0, warning: 0, info: 0, hint: 0 }).text, "$(check) xyguard");
  });

  it("shows the server state when it is not running", () => {
    assert.match(statusView("starting", countFindings([])).text, /sync~spin/);
    assert.match(statusView("failed", countFindings([])).tooltip, /failed to start/);
    assert.equal(statusView("stopped", countFindings([])).alert, true);
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
