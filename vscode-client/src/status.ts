// The status-bar item: the server's state and how many findings are open.

export type ServerState = "starting" | "running" | "stopped" | "failed";

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

// vscode.DiagnosticSeverity values (Error=0 ... Hint=3), kept numeric so this file needs no VS Code.
const BY_SEVERITY: (keyof FindingCounts)[] = ["error", "warning", "info", "hint"];

export function countFindings(diagnostics: Iterable<{ severity?: number }>): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) {
    const key = BY_SEVERITY[d.severity ?? 0] ?? "error";
    counts[key] += 1;
  }
  return counts;
}

export function total(counts: FindingCounts): number {
  return counts.error + counts.warning + counts.info + counts.hint;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** True when the item should draw attention (server down, or errors open). */
  alert: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function statusView(state: ServerState, counts: FindingCounts): StatusView {
  switch (state) {
    case "starting":
      return { text: "$(sync~spin) xyguard", tooltip: "xyguard: starting the language server…", alert: false };
    case "stopped":
      return { text: "$(circle-slash) xyguard", tooltip: "xyguard: server stopped. Click to restart.", alert: true };
    case "failed":
      return { text: "$(error) xyguard", tooltip: "xyguard: the server failed to start. Click to restart; see the xyguard output.", alert: true };
  }
  const n = total(counts);
  if (n === 0) {
    return { text: "$(check) xyguard", tooltip: "xyguard: no open findings", alert: false };
  }
  const parts = (Object.keys(counts) as (keyof FindingCounts)[])
    .filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], k));
  const icon = counts.error > 0 ? "$(error)" : counts.warning > 0 ? "$(warning)" : "$(info)";
  return { text: `${icon} xyguard ${n}`, tooltip: `xyguard: ${plural(n, "open finding")} (${parts.join(", ")})`, alert: counts.error > 0 };
}
