// Offers xyguard's MCP server (`xyguard mcp`, stdio) to VS Code's agent mode, so Copilot's agent can
// consult xyguard with no configuration. The server is started the same way as the language
// server (same interpreter, same bundle). VS Code before 1.101 has no MCP API: nothing is
// registered there, and the rest of the extension works as before.

import * as vscode from "vscode";

import type { ServerLaunch } from "./launch";

/** Also declared in package.json under contributes.mcpServerDefinitionProviders. */
export const MCP_PROVIDER_ID = "xyguard.mcp";
export const MCP_LABEL = "xyguard";

export interface McpHost {
  /** The MCP server's launch, or undefined while xyguard is disabled. */
  mcpLaunch(): Promise<ServerLaunch | undefined>;
  workspaceRoot(): string | undefined;
  version: string;
  log(message: string): void;
}

interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: unknown): vscode.Disposable;
}

type McpStdioServerDefinitionCtor = new (
  label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string,
) => { cwd?: vscode.Uri };

export interface McpRegistration extends vscode.Disposable {
  /** Tell VS Code the definition changed (interpreter, settings): it asks the provider again. */
  changed(): void;
}

export function registerMcpProvider(host: McpHost): McpRegistration | undefined {
  const api = (vscode as unknown as { lm?: Partial<McpApi> }).lm;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioServerDefinitionCtor }).McpStdioServerDefinition;
  if (!api || typeof api.registerMcpServerDefinitionProvider !== "function" || typeof Definition !== "function") {
    host.log("This VS Code has no MCP server API (1.101+); xyguard is not offered to agent mode.");
    return undefined;
  }
  const emitter = new vscode.EventEmitter<void>();
  const registration = api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
    onDidChangeMcpServerDefinitions: emitter.event,
    provideMcpServerDefinitions: async () => {
      const launch = await host.mcpLaunch();
      if (!launch) {
        return [];
      }
      const definition = new Definition(MCP_LABEL, launch.command, launch.args, launch.env, host.version);
      const root = host.workspaceRoot();
      if (root) {
        definition.cwd = vscode.Uri.file(root);
      }
      return [definition];
    },
    resolveMcpServerDefinition: (definition: unknown) => definition,
  });
  return {
    changed: () => emitter.fire(),
    dispose: () => {
      registration.dispose();
      emitter.dispose();
    },
  };
}
