"""The version, written once: the package metadata (pyproject's dynamic version), the LSP serverInfo,
SARIF's tool version and `--version` all read it here. A constant, not importlib.metadata: reading
package metadata costs ~60 ms of the 0.5 s initialize budget."""

VERSION = "0.1.0"
