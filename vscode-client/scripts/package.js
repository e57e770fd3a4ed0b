// Builds the .vsix for this machine's platform: the extension bundled into one file (esbuild, through
// vscode:prepublish), xyguard and its dependencies in bundled/libs (scripts/bundle_python.py), then
// `vsce package --target <platform>` without node_modules.
//
//   node scripts/package.js [--out FILE | --out-dir DIR]     (default: ./xyguard-<target>.vsix)
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const { python } = require("./run-python");

const ROOT = path.resolve(__dirname, "..");

/** vsce's target for this machine (the bundled tree-sitter binding is platform-specific). */
function vsceTarget(platform = process.platform, arch = process.arch) {
  const os = { linux: "linux", darwin: "darwin", win32: "win32" }[platform];
  const cpu = { x64: "x64", arm64: "arm64", arm: "armhf" }[arch];
  if (!os || !cpu) {
    throw new Error(`no VS Code target for ${platform}-${arch}`);
  }
  return `${os}-${cpu}`;
}

function run(command, args) {
  console.log("+", command, args.join(" "));
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

function main() {
  const target = vsceTarget();
  const arg = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  };
  const out = arg("--out") ?? path.join(arg("--out-dir") ?? ROOT, `xyguard-${target}.vsix`);
  run(python(), [path.join("scripts", "bundle_python.py")]);
  const vsce = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
  run(vsce, ["package", "--no-dependencies", "--target", target, "--out", out]);
  console.log(`built ${out}`);
}

module.exports = { vsceTarget };

if (require.main === module) {
  main();
}
