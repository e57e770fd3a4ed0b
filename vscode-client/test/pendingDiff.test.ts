// "Check pending changes" reads the work tree against HEAD from a real repository.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { addedFileDiff, pendingDiff } from "../src/pendingDiff";
import { git, makeGitRepo } from "./support/gitrepo";

describe("pending changes", () => {
  it("holds tracked edits, deletions and untracked files, but not ignored ones", async () => {
    const repo = makeGitRepo({ ".gitignore": "build/\n", "a.py": "x = 1\n", "gone.py": "y = 2\n" });
    try {
      fs.writeFileSync(path.join(repo, "a.py"), "x = 2\n");
      fs.rmSync(path.join(repo, "gone.py"));
      fs.writeFileSync(path.join(repo, "new.py"), "def added():\n    return 3\n");
      fs.mkdirSync(path.join(repo, "build"));
      fs.writeFileSync(path.join(repo, "build", "out.py"), "generated = True\n");
      const diff = await pendingDiff(repo);
      assert.match(diff, /^-x = 1\n\+x = 2$/m);
      assert.match(diff, /^deleted file mode/m);
      assert.match(diff, /^\+\+\+ b\/new\.py\n@@ -0,0 \+1,2 @@\n\+def added\(\):\n\+    return 3$/m);
      assert.doesNotMatch(diff, /generated/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("is empty for a clean work tree", async () => {
    const repo = makeGitRepo({ "a.py": "x = 1\n" });
    try {
      assert.equal(await pendingDiff(repo), "");
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("never runs the repository's clean filter", async () => {
    const repo = makeGitRepo({ "a.py": "x = 1\n" });
    const marker = path.join(repo, "..", `${path.basename(repo)}-filter-ran`);
    try {
      git(repo, "config", "filter.evil.clean", `touch ${marker}; cat`);
      git(repo, "config", "filter.evil.required", "true");
      fs.writeFileSync(path.join(repo, ".gitattributes"), "*.py filter=evil\n");
      fs.writeFileSync(path.join(repo, "a.py"), "x = 3\n");
      const diff = await pendingDiff(repo);
      assert.match(diff, /\+x = 3/);
      assert.equal(fs.existsSync(marker), false, "the clean filter ran");
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
      fs.rmSync(marker, { force: true });
    }
  });

  it("writes an added file as git would, with or without a final newline", () => {
    assert.equal(addedFileDiff("n.txt", "a\nb\n"), "diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    assert.match(addedFileDiff("n.txt", "a"), /\+a\n\\ No newline at end of file\n$/);
  });
});
