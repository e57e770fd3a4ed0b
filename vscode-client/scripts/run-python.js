// Runs a Python script with $PYTHON, else the repository's .venv, else python3 on PATH.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

function python() {
  if (process.env.PYTHON) {
    return process.env.PYTHON;
  }
  const venv = path.resolve(__dirname, "..", "..", ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  return fs.existsSync(venv) ? venv : process.platform === "win32" ? "python" : "python3";
}

module.exports = { python };

if (require.main === module) {
  const result = spawnSync(python(), process.argv.slice(2), { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
