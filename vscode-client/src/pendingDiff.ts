// "Check pending changes": the work tree against HEAD as a unified diff for `xyguard/checkEdit`.
//
// A repository's config can make git run programs (fsmonitor, external diff,
// textconv, clean filters); every call here switches those off, as the
// server's own git runner does, and untracked files are read directly.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

const MAX_UNTRACKED_BYTES = 1_000_000;
const MAX_BUFFER = 64 * 1024 * 1024;

const OVERRIDES = [
  "core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat", "diff.external=",
  "core.quotePath=false", "color.ui=false",
];

function run(root: string, args: string[], extraConfig: string[] = []): Promise<string> {
  const argv = [...[...OVERRIDES, ...extraConfig].flatMap((c) => ["-c", c]), ...args];
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", GIT_PAGER: "cat", LC_ALL: "C" };
  return new Promise((resolve, reject) => {
    execFile("git", argv, { cwd: root, env, maxBuffer: MAX_BUFFER, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) {
        const firstLine = (stderr || err.message).split("\n").find((l) => l.trim()) ?? "git failed";
        reject(new Error(firstLine.trim()));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** `-c filter.NAME.clean=` etc. for every filter driver the repository configures. */
async function neutralizedFilters(root: string): Promise<string[]> {
  let names: string;
  try {
    names = await run(root, ["config", "--name-only", "--get-regexp", "^filter\\..*\\.(clean|smudge|process|required)$"]);
  } catch {
    return []; // no filter configured (git exits 1)
  }
  return names.split("\n").filter(Boolean).map((name) => (name.toLowerCase().endsWith(".required") ? `${name}=false` : `${name}=`));
}

function looksBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

/** A unified diff that adds an untracked file, as `git diff` would show it. */
export function addedFileDiff(rel: string, text: string): string {
  const lines = text.split("\n");
  const trailingNewline = text.endsWith("\n");
  if (trailingNewline) {
    lines.pop();
  }
  if (lines.length === 0) {
    return `diff --git a/${rel} b/${rel}\nnew file mode 100644\n`;
  }
  const body = lines.map((l) => `+${l}`).join("\n") + "\n" + (trailingNewline ? "" : "\\ No newline at end of file\n");
  return `diff --git a/${rel} b/${rel}\nnew file mode 100644\n--- /dev/null\n+++ b/${rel}\n@@ -0,0 +1,${lines.length} @@\n${body}`;
}

function readUntracked(root: string, rel: string): string | undefined {
  const full = path.join(root, rel);
  const resolved = path.resolve(full);
  if (!resolved.startsWith(path.resolve(root) + path.sep)) {
    return undefined;
  }
  try {
    const stat = fs.lstatSync(resolved); // never follow a symlink out of the repository
    if (!stat.isFile() || stat.size > MAX_UNTRACKED_BYTES) {
      return undefined;
    }
    const data = fs.readFileSync(resolved);
    return looksBinary(data) ? undefined : data.toString("utf8");
  } catch {
    return undefined;
  }
}

/** The work tree (tracked changes and untracked, not ignored files) against HEAD; "" when nothing changed. */
export async function pendingDiff(root: string): Promise<string> {
  const filters = await neutralizedFilters(root);
  let head = "HEAD";
  try {
    await run(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  } catch {
    head = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"; // no commit yet: compare with the empty tree
  }
  const tracked = await run(root, ["diff", "--no-ext-diff", "--no-textconv", "--no-color", head, "--"], filters);
  const untracked = (await run(root, ["ls-files", "-z", "--others", "--exclude-standard"], filters)).split("\0").filter(Boolean);
  const added = untracked
    .map((rel) => [rel, readUntracked(root, rel)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([rel, text]) => addedFileDiff(rel, text));
  return [tracked, ...added].filter((part) => part.length > 0).join(tracked.endsWith("\n") || !tracked ? "" : "\n");
}
