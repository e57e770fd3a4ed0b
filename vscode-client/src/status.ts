// The language status item (shown next to the language mode of the documents xyguard serves):
// the server's state and the open findings, red when any is at or above `xyguard.failLevel`.

import type { Severity } from "./settings";

export type ServerState = "starting" | "running" | "stopped" | "failed" | "disabled";

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

/** How many findings are at or above the fail level (what `xyguard/evaluate` and the hooks count as failing). */
export function failing(counts: FindingCounts, failLevel: Severity): number {
  const upTo = BY_SEVERITY.indexOf(failLevel);
  return BY_SEVERITY.slice(0, upTo + 1).reduce((n, key) => n + counts[key], 0);
}

/** LanguageStatusSeverity by name (Information=0, Warning=1, Error=2 in VS Code). */
export type StatusSeverity = "information" | "warning" | "error";

export interface StatusView {
  text: string;
  detail: string;
  severity: StatusSeverity;
  busy: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function statusView(state: ServerState, counts: FindingCounts, failLevel: Severity): StatusView {
  switch (state) {
    case "starting":
      return { text: "xyguard", detail: "starting the server…", severity: "information", busy: true };
    case "disabled":
      return { text: "$(circle-slash) xyguard", detail: "disabled (xyguard.enable)", severity: "information", busy: false };
    case "stopped":
      return { text: "$(debug-stop) xyguard", detail: "server stopped; run xyguard: Restart server", severity: "warning", busy: false };
    case "failed":
      return { text: "$(error) xyguard", detail: "the server did not start; see the log", severity: "error", busy: false };
  }
  const n = total(counts);
  if (n === 0) {
    return { text: "$(check) xyguard", detail: "no open findings", severity: "information", busy: false };
  }
  const parts = (Object.keys(counts) as (keyof FindingCounts)[])
    .filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], k));
  const failed = failing(counts, failLevel);
  const icon = failed > 0 ? "$(error)" : "$(info)";
  const verdict = failed > 0 ? `${failed} at or above ${failLevel}` : `none at or above ${failLevel}`;
  return {
    text: `${icon} xyguard ${n}`,
    detail: `${plural(n, "open finding")} (${parts.join(", ")}); ${verdict}`,
    severity: failed > 0 ? "error" : "information",
    busy: false,
  };
}
