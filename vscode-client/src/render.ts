// Markdown views of the server's answers, opened beside the editor by the commands.
// Field names follow the JSON contract in DESIGN.md; unknown fields are ignored.

export interface Finding {
  code: string;
  severity: string;
  message: string;
  evidence?: string;
  path?: string | null;
  range?: { start: { line: number; character: number } } | null;
  question?: string | null;
  fix?: string | null;
  goal?: string;
}

export interface RequestReport {
  clarify?: { needed?: boolean; question?: string | null; codes?: string[] };
  intent?: { immediate?: string; final_goals?: string[]; background?: string[]; autonomy?: string[] };
  complexity?: string;
  concretized?: string;
  findings?: Finding[];
}

export interface EditReport {
  findings?: Finding[];
  summary?: { files?: number; added?: number; removed?: number };
  skipped?: { check: string; reason: string }[];
}

function findingLines(findings: Finding[] | undefined, withPath: boolean): string[] {
  if (!findings || findings.length === 0) {
    return ["No findings."];
  }
  const out: string[] = [];
  for (const f of findings) {
    let where = "";
    if (withPath && f.path) {
      where = f.range ? `${f.path}:${f.range.start.line + 1}` : f.path;
      where = ` \`${where}\``;
    }
    out.push(`- **${f.code}** (${f.severity})${where}: ${f.message}`);
    if (f.evidence) {
      out.push(`  - evidence: ${f.evidence.replace(/\s+/g, " ").slice(0, 200)}`);
    }
    if (f.goal) {
      out.push(`  - likely goal: ${f.goal}`);
    }
    if (f.question) {
      out.push(`  - ask: ${f.question}`);
    }
    if (f.fix) {
      out.push(`  - fix: ${f.fix}`);
    }
  }
  return out;
}

function bullets(items: string[] | undefined): string[] {
  return items && items.length > 0 ? items.map((s) => `- ${s}`) : ["- (none stated)"];
}

export function renderRequestReport(report: RequestReport): string {
  const lines = ["# xyguard: request check", ""];
  const clarify = report.clarify ?? {};
  if (clarify.needed) {
    lines.push(`**Ask before acting:** ${clarify.question ?? "(no question)"}`, "");
  } else {
    lines.push("**Clear enough to act on.**", "");
  }
  const intent = report.intent ?? {};
  lines.push("## Intent", "", `Immediate: ${intent.immediate || "(unknown)"}`, "", "Final goals:", ...bullets(intent.final_goals),
    "", "Background constraints:", ...bullets(intent.background), "", "Autonomy:", ...bullets(intent.autonomy), "");
  if (report.complexity) {
    lines.push(`Complexity: ${report.complexity}`, "");
  }
  lines.push("## Findings", "", ...findingLines(report.findings, false), "");
  if (report.concretized) {
    lines.push("## The request with its intent made explicit", "", report.concretized, "");
  }
  return lines.join("\n");
}

export function renderEditReport(report: EditReport): string {
  const s = report.summary ?? {};
  const lines = ["# xyguard: pending changes against HEAD", "",
    `${s.files ?? 0} file(s), +${s.added ?? 0} −${s.removed ?? 0}`, "", "## Findings", "", ...findingLines(report.findings, true), ""];
  if (report.skipped && report.skipped.length > 0) {
    lines.push("## Checks that could not run", "", ...report.skipped.map((k) => `- ${k.check}: ${k.reason}`), "");
  }
  return lines.join("\n");
}

function describeItem(item: unknown): string {
  if (typeof item === "string") {
    return item;
  }
  if (item && typeof item === "object") {
    const o = item as Record<string, unknown>;
    const text = o.text ?? o.statement ?? o.value ?? o.name;
    if (typeof text === "string") {
      const turn = typeof o.turn === "number" ? ` (turn ${o.turn})` : "";
      return text + turn;
    }
  }
  return JSON.stringify(item);
}

const GOAL_SECTIONS = ["objectives", "requirements", "preferences", "profile", "policy"];

export function renderGoalState(state: Record<string, unknown> | null | undefined, sessionId: string): string {
  const lines = [`# xyguard: goal state (session ${sessionId || "default"})`, ""];
  if (!state) {
    return lines.concat(["No goal state recorded yet."]).join("\n");
  }
  const goal = (state.goal_state ?? state.state ?? state) as Record<string, unknown>;
  for (const key of GOAL_SECTIONS) {
    const value = goal[key];
    const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.entries(value).map(([k, v]) => `${k}: ${describeItem(v)}`) : [];
    lines.push(`## ${key[0].toUpperCase()}${key.slice(1)}`, "", ...(items.length ? items.map((i) => `- ${describeItem(i)}`) : ["- (none)"]), "");
  }
  return lines.join("\n");
}
