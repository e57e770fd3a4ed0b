// A small stand-in for the `vscode` module: just the API surface the extension
// touches, recording what the extension asked the editor to do.

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  async fire(value: T): Promise<void> {
    for (const l of [...this.listeners]) {
      await l(value);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(path: string): Uri {
    return new Uri("file", path);
  }
  static parse(value: string): Uri {
    return value.startsWith("file://") ? new Uri("file", decodeURIComponent(value.slice(7))) : new Uri("untitled", value);
  }
  toString(): string {
    return this.scheme === "file" ? `file://${this.fsPath}` : this.fsPath;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export enum LanguageStatusSeverity { Information = 0, Warning = 1, Error = 2 }

export interface StubDocument {
  uri: Uri;
  fileName: string;
  languageId: string;
  text: string;
  getText(range?: unknown): string;
}

export function makeDocument(fileName: string, languageId: string, text: string): StubDocument {
  return { uri: Uri.file(fileName), fileName, languageId, text, getText: () => text };
}

export function makeEditor(doc: StubDocument, selected = "") {
  return {
    document: { ...doc, getText: (range?: unknown) => (range ? selected : doc.text) },
    selection: { isEmpty: selected.length === 0 },
  };
}

// ---- recorded editor state, reset between tests ------------------------------------

export const recorded = {
  errors: [] as string[],
  warnings: [] as string[],
  infos: [] as string[],
  opened: [] as { language?: string; content?: string }[],
  shown: 0,
  inputAnswers: [] as (string | undefined)[],
  outputLines: [] as string[],
  settings: {} as Record<string, unknown>,
  languageStatus: [] as LanguageStatusStub[],
  logShown: 0,
  mcpProviders: [] as { id: string; provider: any }[],
};

export interface LanguageStatusStub {
  id: string;
  selector: unknown;
  name: string;
  text: string;
  detail?: string;
  severity: LanguageStatusSeverity;
  busy: boolean;
  command?: { title: string; command: string };
  disposed: boolean;
}

/** A stand-in for an installed extension (the Python extension), as `extensions.getExtension` returns it. */
export const installedExtensions = new Map<string, { isActive: boolean; exports: unknown; activate(): Promise<unknown> }>();

const commandRegistry = new Map<string, (...args: unknown[]) => unknown>();
const configChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
const diagnosticsChanged = new EventEmitter<unknown>();

export function resetStub(): void {
  recorded.errors = [];
  recorded.warnings = [];
  recorded.infos = [];
  recorded.opened = [];
  recorded.shown = 0;
  recorded.inputAnswers = [];
  recorded.outputLines = [];
  recorded.settings = {};
  recorded.languageStatus = [];
  recorded.logShown = 0;
  recorded.mcpProviders = [];
  installedExtensions.clear();
  setMcpApi(true);
  commandRegistry.clear();
  window.activeTextEditor = undefined;
  workspace.workspaceFolders = [{ uri: Uri.file("/work/project"), name: "project", index: 0 }];
}

/** Change settings the way the user would, firing onDidChangeConfiguration for the changed keys. */
export async function changeSettings(values: Record<string, unknown>): Promise<void> {
  Object.assign(recorded.settings, values);
  const changed = Object.keys(values).map((k) => `xyguard.${k}`);
  await configChanged.fire({
    affectsConfiguration: (section: string) => changed.some((k) => k === section || k.startsWith(section + ".")),
  });
}

export async function fireDiagnosticsChanged(): Promise<void> {
  await diagnosticsChanged.fire({});
}

export const window = {
  activeTextEditor: undefined as unknown,
  createOutputChannel: (_name: string) => ({
    appendLine: (line: string) => recorded.outputLines.push(line),
    append: (text: string) => recorded.outputLines.push(text),
    show: (_preserveFocus?: boolean) => { recorded.logShown += 1; },
    clear: () => undefined,
    dispose: () => undefined,
  }),
  showInputBox: async (_options?: unknown) => recorded.inputAnswers.shift(),
  showErrorMessage: async (message: string) => { recorded.errors.push(message); return undefined; },
  showWarningMessage: async (message: string) => { recorded.warnings.push(message); return undefined; },
  showInformationMessage: async (message: string) => { recorded.infos.push(message); return undefined; },
  showTextDocument: async (doc: unknown) => { recorded.shown += 1; return doc; },
};

export const workspace = {
  workspaceFolders: [] as { uri: Uri; name: string; index: number }[] | undefined,
  getWorkspaceFolder: (uri: Uri) => workspace.workspaceFolders?.find((f) => uri.fsPath === f.uri.fsPath || uri.fsPath.startsWith(f.uri.fsPath + "/")),
  getConfiguration: (section?: string, _scope?: unknown) => ({
    get: <T>(key: string): T | undefined => recorded.settings[section && section !== "xyguard" ? `${section}.${key}` : key] as T | undefined,
  }),
  onDidChangeConfiguration: configChanged.event,
  openTextDocument: async (options: { language?: string; content?: string }) => {
    recorded.opened.push(options);
    return options;
  },
};

export const languages = {
  onDidChangeDiagnostics: diagnosticsChanged.event,
  createLanguageStatusItem: (id: string, selector: unknown): LanguageStatusStub => {
    const item: LanguageStatusStub = {
      id, selector, name: "", text: "", severity: LanguageStatusSeverity.Information, busy: false, disposed: false,
    };
    (item as any).dispose = () => { item.disposed = true; };
    recorded.languageStatus.push(item);
    return item;
  },
};

export const extensions = {
  getExtension: (id: string) => installedExtensions.get(id),
};

// VS Code 1.101+'s MCP API; setMcpApi(false) makes this an older VS Code without it.
export class McpStdioServerDefinition {
  cwd?: Uri;
  constructor(readonly label: string, readonly command: string, readonly args?: string[],
              readonly env?: Record<string, string | number | null>, readonly version?: string) {}
}

export let lm: { registerMcpServerDefinitionProvider(id: string, provider: unknown): Disposable } | undefined;

export function setMcpApi(available: boolean): void {
  lm = available
    ? {
      registerMcpServerDefinitionProvider: (id: string, provider: unknown) => {
        const entry = { id, provider };
        recorded.mcpProviders.push(entry);
        return new Disposable(() => { recorded.mcpProviders = recorded.mcpProviders.filter((e) => e !== entry); });
      },
    }
    : undefined;
}

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
    if (commandRegistry.has(id)) {
      throw new Error(`command ${id} already registered`);
    }
    commandRegistry.set(id, handler);
    return new Disposable(() => commandRegistry.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => {
    const handler = commandRegistry.get(id);
    if (!handler) {
      throw new Error(`command ${id} not found`);
    }
    return handler(...args);
  },
  registered: () => [...commandRegistry.keys()],
};

resetStub();
