// The commands. Each handler gets what it needs through CommandEnv, so the tests can
// drive them with a stub `vscode` and either a recording client or the real server.

import * as vscode from "vscode";

import { matchesAny } from "./globs";
import { renderEditReport, renderGoalState, renderRequestReport, type EditReport, type RequestReport } from "./render";
import { DEFAULT_SESSION, type XyguardSettings } from "./settings";

export const METHODS = {
  analyzeRequest: "xyguard/analyzeRequest",
  checkEdit: "xyguard/checkEdit",
  sessionGet: "xyguard/session/get",
} as const;

export const COMMAND_IDS = {
  checkRequest: "xyguard.checkRequest",
  checkPendingChanges: "xyguard.checkPendingChanges",
  showGoalState: "xyguard.showGoalState",
  restartServer: "xyguard.restartServer",
  showLogs: "xyguard.showLogs",
} as const;

export interface LspRequester {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export interface CommandEnv {
  /** The running client, or undefined while the server is down. */
  client(): LspRequester | undefined;
  workspaceRoot(): string | undefined;
  /** The URI of the same workspace folder, as the server names folders. */
  workspaceUri(): string | undefined;
  settings(): XyguardSettings;
  restart(): Promise<void>;
  showLogs(): void;
  log(message: string): void;
}

interface EditorLike {
  document: { getText(range?: unknown): string; languageId: string; fileName: string; uri: { toString(): string } };
  selection: { isEmpty: boolean };
}

/** Where "Check request…" takes its text from: the selection, else a request document, else nothing. */
export function requestFromEditor(editor: EditorLike | undefined, requestGlobs: string[]): { text: string; uri?: string } | undefined {
  if (!editor) {
    return undefined;
  }
  if (!editor.selection.isEmpty) {
    const text = editor.document.getText(editor.selection);
    if (text.trim()) {
      return { text };
    }
  }
  const doc = editor.document;
  if (doc.languageId === "xyguard-request" || matchesAny(doc.fileName, requestGlobs)) {
    return { text: doc.getText(), uri: doc.uri.toString() };
  }
  return undefined;
}

async function showMarkdown(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: "markdown", content });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

function runningClient(env: CommandEnv): LspRequester | undefined {
  const client = env.client();
  if (!client) {
    void vscode.window.showErrorMessage("xyguard: the language server is not running. Run \"xyguard: Restart server\" and see the xyguard output.");
  }
  return client;
}

async function ask<R>(env: CommandEnv, client: LspRequester, method: string, params: unknown): Promise<R | undefined> {
  try {
    return await client.sendRequest<R>(method, params);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    env.log(`${method} failed: ${message}`);
    void vscode.window.showErrorMessage(`xyguard: ${method} failed: ${message}`);
    return undefined;
  }
}

function sessionParams(env: CommandEnv): { session?: string } {
  const id = env.settings().sessionId;
  return id ? { session: id } : {};
}

export async function checkRequest(env: CommandEnv): Promise<RequestReport | undefined> {
  let source = requestFromEditor(vscode.window.activeTextEditor as EditorLike | undefined, env.settings().requestGlobs);
  if (!source) {
    const typed = await vscode.window.showInputBox({
      title: "xyguard: Check request",
      prompt: "The coding request to check before handing it to an agent",
      placeHolder: "e.g. Add a Rust helper to compute checksums",
      ignoreFocusOut: true,
    });
    if (!typed || !typed.trim()) {
      return undefined;
    }
    source = { text: typed };
  }
  const client = runningClient(env);
  if (!client) {
    return undefined;
  }
  const report = await ask<RequestReport>(env, client, METHODS.analyzeRequest, { ...source, ...sessionParams(env) });
  if (!report) {
    return undefined;
  }
  await showMarkdown(renderRequestReport(report));
  if (report.clarify?.needed && report.clarify.question) {
    void vscode.window.showWarningMessage(`xyguard: ${report.clarify.question}`);
  }
  return report;
}

export async function checkPendingChanges(env: CommandEnv): Promise<EditReport | undefined> {
  const folder = env.workspaceUri();
  if (!folder) {
    void vscode.window.showErrorMessage("xyguard: open a folder (a git repository) to check its pending changes.");
    return undefined;
  }
  const client = runningClient(env);
  if (!client) {
    return undefined;
  }
  // The server reads the work tree itself, with its one hardened git runner; no diff is computed here.
  const report = await ask<EditReport>(env, client, METHODS.checkEdit, { worktree: true, uri: folder, ...sessionParams(env) });
  if (!report) {
    return undefined;
  }
  if (nothingToCheck(report)) {
    void vscode.window.showInformationMessage("xyguard: nothing to check — no pending changes against HEAD.");
    return report;
  }
  await showMarkdown(renderEditReport(report));
  return report;
}

/**
 * A clean work tree: no changed file and no finding. What the server says about checks it skipped
 * (there was nothing for them to look at) is not a reason to open an empty report.
 */
export function nothingToCheck(report: EditReport): boolean {
  return (report.summary?.files ?? 0) === 0 && !report.findings?.length;
}

export async function showGoalState(env: CommandEnv): Promise<unknown> {
  const client = runningClient(env);
  if (!client) {
    return undefined;
  }
  // The server keeps goal states per session; without a configured id, the "default" one.
  const params = { root: env.workspaceRoot(), session: env.settings().sessionId || DEFAULT_SESSION };
  const state = await ask<Record<string, unknown> | null>(env, client, METHODS.sessionGet, params);
  if (state === undefined) {
    return undefined;
  }
  await showMarkdown(renderGoalState(state, params.session));
  return state;
}

export function registerCommands(env: CommandEnv): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMAND_IDS.checkRequest, () => checkRequest(env)),
    vscode.commands.registerCommand(COMMAND_IDS.checkPendingChanges, () => checkPendingChanges(env)),
    vscode.commands.registerCommand(COMMAND_IDS.showGoalState, () => showGoalState(env)),
    vscode.commands.registerCommand(COMMAND_IDS.restartServer, () => env.restart()),
    vscode.commands.registerCommand(COMMAND_IDS.showLogs, () => env.showLogs()),
  ];
}
