// Real git repositories in temp folders for the tests (nothing mocked).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};

export function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: root, env: ENV, stdio: "pipe", encoding: "utf8" });
}

/** A repository with one commit holding `files`. */
export function makeGitRepo(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "xyguard-repo-")));
  git(root, "init", "-q", "-b", "main");
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  git(root, "add", "-A");
  git(root, "commit", "-q", "--allow-empty", "-m", "initial");
  return root;
}
