"""Starts xyguard for the VS Code extension: `python lsp_server.py [lsp|mcp]`.

The extension runs this file with the interpreter it chose (the Python
extension's, `xyguard.server.pythonPath`, or python3 on PATH). The `.vsix`
carries xyguard and its dependencies in `../libs` (`pip install --target` at
package time, as ruff-vscode does), so the server starts even where nothing
was installed. `XYGUARD_IMPORT_STRATEGY` decides which copy wins:

- `useBundled`: `../libs` first on sys.path, the bundled copy always;
- `fromEnvironment` (the default): `../libs` last, so an xyguard installed in
  the interpreter's environment is used and the bundle only fills in.
"""

import os
import sys

MIN_PYTHON = (3, 10)
LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")


def _fail(message: str) -> "NoReturn":  # noqa: F821  (no typing import before the version check)
    # stderr is the extension's output channel; stdout belongs to the protocol.
    sys.stderr.write("xyguard: " + message + "\n")
    sys.stderr.flush()
    raise SystemExit(3)


def main() -> None:
    if sys.version_info < MIN_PYTHON:
        _fail("Python %d.%d or newer is needed, but %s is %d.%d. Choose another interpreter "
              "(Python: Select Interpreter, or the xyguard.server.pythonPath setting)."
              % (MIN_PYTHON + (sys.executable,) + sys.version_info[:2]))
    # This file's own folder must not shadow anything.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    strategy = os.environ.get("XYGUARD_IMPORT_STRATEGY", "fromEnvironment")
    if os.path.isdir(LIBS):
        if strategy == "useBundled":
            sys.path.insert(0, LIBS)
        else:
            sys.path.append(LIBS)
    elif strategy == "useBundled":
        _fail("xyguard.importStrategy is useBundled, but this copy of the extension has no bundled server "
              "(%s is missing). Install a packaged .vsix, or use fromEnvironment." % LIBS)
    try:
        from xyguard.server.cli import main as cli
    except ImportError as exc:
        _fail("cannot import xyguard with %s (%s). Install it in that environment "
              "(pip install <path to an xyguard checkout>) or use a packaged .vsix, which bundles it." % (sys.executable, exc))
    command = sys.argv[1:] or ["lsp"]
    raise SystemExit(cli(command))


if __name__ == "__main__":
    main()
