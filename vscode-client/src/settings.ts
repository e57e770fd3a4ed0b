// The extension's settings, and the two shapes the server receives them in:
// `initializationOptions` at start and the answer to `workspace/configuration`.
// Both must be the server's shape (options.py: failLevel, select, ignore,
// drift: bool, driftBaseline, llm: {model}, session, requestGlobs), not VS
// Code's nested `drift.enabled` keys.

export const SECTION = "xyguard";

/** The session whose goal state "Show goal state" reads when `xyguard.session.id` is empty. */
export const DEFAULT_SESSION = "default";

export type Severity = "error" | "warning" | "info" | "hint";
const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];

/** What drift diagnostics compare an open file with: HEAD, or the commit HEAD was at when the session started. */
export type DriftBaseline = "head" | "session";

/** Which copy of xyguard the bundled launcher imports first (ruff-vscode's setting of the same name). */
export type ImportStrategy = "fromEnvironment" | "useBundled";

/**
 * Request documents by default. `*.prompt.md` is also VS Code's and Copilot's prompt-file type
 * (`.github/prompts/*.prompt.md`), so it is left alone unless the user adds it.
 */
export const DEFAULT_REQUEST_GLOBS = ["**/*.request.md"];

export interface XyguardSettings {
  enable: boolean;
  serverCommand: string[];
  pythonPath: string;
  importStrategy: ImportStrategy;
  requestGlobs: string[];
  failLevel: Severity;
  select: string[];
  ignore: string[];
  driftEnabled: boolean;
  driftBaseline: DriftBaseline;
  llmModel: string;
  sessionId: string;
}

/** The part of vscode.WorkspaceConfiguration this module needs (so it can be tested without VS Code). */
export interface ConfigurationReader {
  get<T>(key: string): T | undefined;
}

export interface ServerSettings {
  failLevel: Severity;
  select: string[];
  ignore: string[];
  drift: boolean;
  driftBaseline: DriftBaseline;
  llm: { model: string | null };
  session?: string;
  requestGlobs: string[];
}

function stringList(value: unknown): string[] {
  // Users type "XY, DR202" into a string setting as often as they fill the array.
  if (typeof value === "string") {
    return value.split(/[,\s]+/).filter((s) => s.length > 0);
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v.length > 0);
  }
  return [];
}

function commandLine(value: unknown): string[] {
  // An array keeps paths with spaces intact; a plain string is split on whitespace.
  if (typeof value === "string") {
    return value.trim().split(/\s+/).filter((s) => s.length > 0);
  }
  return stringList(value);
}

export function readSettings(config: ConfigurationReader): XyguardSettings {
  const failLevel = config.get<string>("failLevel");
  const globs = config.get("requestGlobs");
  return {
    enable: config.get<boolean>("enable") !== false,
    serverCommand: commandLine(config.get("server.command")),
    pythonPath: (config.get<string>("server.pythonPath") ?? "").trim(),
    importStrategy: config.get<string>("importStrategy") === "useBundled" ? "useBundled" : "fromEnvironment",
    // An empty or missing list means the default, never "no request documents at all".
    requestGlobs: globs === undefined || stringList(globs).length === 0 ? [...DEFAULT_REQUEST_GLOBS] : stringList(globs),
    failLevel: SEVERITIES.includes(failLevel as Severity) ? (failLevel as Severity) : "warning",
    select: stringList(config.get("select")),
    ignore: stringList(config.get("ignore")),
    driftEnabled: config.get<boolean>("drift.enabled") !== false,
    driftBaseline: config.get<string>("drift.baseline") === "session" ? "session" : "head",
    llmModel: (config.get<string>("llm.model") ?? "").trim(),
    sessionId: (config.get<string>("session.id") ?? "").trim(),
  };
}

/** What the server gets as initializationOptions and as the `xyguard` configuration section. */
export function serverSettings(settings: XyguardSettings): ServerSettings {
  const out: ServerSettings = {
    failLevel: settings.failLevel,
    select: settings.select,
    ignore: settings.ignore,
    drift: settings.driftEnabled,
    driftBaseline: settings.driftBaseline,
    llm: { model: settings.llmModel || null },
    requestGlobs: settings.requestGlobs,
  };
  if (settings.sessionId) {
    // The server checks request documents against this session, and measures drift from its start.
    out.session = settings.sessionId;
  }
  if (out.select.length === 0) {
    // An empty list would select nothing; leaving it out lets the repository's config decide.
    delete (out as Partial<ServerSettings>).select;
  }
  return out;
}

/** Settings read when the process starts: changing them needs a new server process. */
export const RESTART_SETTINGS = [
  "xyguard.server.command",
  "xyguard.server.pythonPath",
  "xyguard.importStrategy",
  // The client's document selector (what is synced to the server) is fixed when it starts.
  "xyguard.requestGlobs",
  // The server decides at start whether to load the LLM adapter at all.
  "xyguard.llm.model",
];

/** Settings the running server picks up through `workspace/didChangeConfiguration`. */
export const LIVE_SETTINGS = [
  "xyguard.failLevel", "xyguard.select", "xyguard.ignore", "xyguard.drift.enabled", "xyguard.drift.baseline",
  "xyguard.session.id",
];

export type SettingsChange = "enable" | "restart" | "notify" | "none";

export function classifyChange(affects: (section: string) => boolean): SettingsChange {
  if (affects("xyguard.enable")) {
    return "enable";
  }
  if (RESTART_SETTINGS.some(affects)) {
    return "restart";
  }
  if (LIVE_SETTINGS.some(affects)) {
    return "notify";
  }
  return "none";
}

export interface ConfigurationItem {
  section?: string;
  scopeUri?: string;
}

/**
 * The answer to the server's `workspace/configuration` request: VS Code's default
 * answer for other sections, the server-shaped settings for ours.
 */
export function answerConfiguration(
  items: ConfigurationItem[],
  defaults: unknown[],
  settingsFor: (scopeUri: string | undefined) => XyguardSettings,
): unknown[] {
  return items.map((item, i) => (item.section === SECTION ? serverSettings(settingsFor(item.scopeUri)) : defaults[i] ?? null));
}
