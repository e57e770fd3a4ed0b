"""Bundles the xyguard server into the extension: bundled/libs holds xyguard and its dependencies.

    python3 scripts/bundle_python.py [--repo ..] [--libs bundled/libs]

As ruff-vscode does with its bundled libs: a wheel of xyguard is built from
this repository, then `pip install --target bundled/libs` puts it and its
dependencies there for this machine's platform; requirements that only
older Pythons need (tomli, exceptiongroup: pip evaluates markers for the
interpreter it runs on) are added too. Everything is pure Python except tree-sitter's core binding, which is
built per CPython minor version; its extension module for every supported
version is added next to the first (Python loads only the one whose suffix it
knows), so the bundle runs on whichever Python 3.10+ the user has. The
grammar wheels are abi3 already. Console scripts and caches are dropped.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OLDEST = "3.10"
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]  # CPython versions the tree-sitter binding is bundled for


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _installed(libs: Path) -> set[str]:
    return {_canonical(info.name[:-len(".dist-info")].rsplit("-", 1)[0]) for info in libs.glob("*.dist-info")}


def needed_by_other_pythons(libs: Path) -> list[str]:
    """Requirements whose marker is false here but true on another supported Python (tomli, exceptiongroup).

    pip evaluates markers against the interpreter it runs on, whatever `--python-version` says.
    """
    try:
        from packaging.requirements import Requirement
    except ImportError:
        from pip._vendor.packaging.requirements import Requirement
    installed, needed = _installed(libs), set()
    for metadata in libs.glob("*.dist-info/METADATA"):
        for line in metadata.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker is None or _canonical(req.name) in installed:
                continue
            if any(req.marker.evaluate({"python_version": v, "python_full_version": v + ".0", "extra": ""}) for v in PYTHONS):
                req.marker = None
                needed.add(str(req))
    return sorted(needed)


def add_for_other_pythons(libs: Path, work: Path) -> list[str]:
    added: list[str] = []
    while True:
        needed = [r for r in needed_by_other_pythons(libs) if r not in added]
        if not needed:
            return added
        extra = work / f"extra-{len(added)}"
        pip("install", "-q", "--target", str(extra), "--no-deps", "--only-binary=:all:", "--python-version", OLDEST,
            "--implementation", "cp", "--no-compile", *needed)
        for entry in extra.iterdir():
            if not (libs / entry.name).exists():
                shutil.move(str(entry), libs / entry.name)
        added += needed


def installed_version(libs: Path, name: str) -> str | None:
    for info in libs.glob(f"{name.replace('-', '_')}-*.dist-info"):
        return info.name[len(name) + 1:-len(".dist-info")]
    return None


def add_bindings(libs: Path, work: Path) -> list[str]:
    """tree-sitter's compiled module for every supported CPython, next to the one pip installed."""
    version = installed_version(libs, "tree_sitter")
    if version is None:
        raise SystemExit("tree-sitter is not in the bundle; did the install fail?")
    added = []
    for python in PYTHONS:
        dest = work / f"ts-{python}"
        try:
            pip("download", f"tree-sitter=={version}", "--no-deps", "--only-binary=:all:",
                "--python-version", python, "--implementation", "cp", "-d", str(dest), "-q")
        except subprocess.CalledProcessError:
            print(f"warning: no tree-sitter {version} wheel for CPython {python} on this platform; skipped", flush=True)
            continue
        for wheel in dest.glob("*.whl"):
            with zipfile.ZipFile(wheel) as zf:
                for name in zf.namelist():
                    if name.startswith("tree_sitter/") and name.endswith((".so", ".pyd")):
                        target = libs / name
                        if not target.exists():
                            target.write_bytes(zf.read(name))
                            added.append(name)
    return added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(HERE.parent.parent), help="the xyguard checkout to bundle")
    parser.add_argument("--libs", default=str(HERE.parent / "bundled" / "libs"), help="where the libraries go")
    args = parser.parse_args()
    libs = Path(args.libs)
    if libs.exists():
        shutil.rmtree(libs)
    libs.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="xyguard-bundle-") as tmp:
        work = Path(tmp)
        pip("wheel", "--no-deps", "-q", "-w", str(work / "wheel"), args.repo)
        wheel = next((work / "wheel").glob("xyguard-*.whl"))
        pip("install", "-q", "--target", str(libs), "--only-binary=:all:", "--python-version", OLDEST,
            "--implementation", "cp", "--no-compile", str(wheel))
        backports = add_for_other_pythons(libs, work)
        added = add_bindings(libs, work)
    for junk in [libs / "bin", *libs.glob("**/__pycache__")]:
        shutil.rmtree(junk, ignore_errors=True)
    size = sum(os.path.getsize(p) for p in glob.glob(str(libs / "**"), recursive=True) if os.path.isfile(p))
    print(f"bundled {len(list(libs.glob('*.dist-info')))} distributions in {libs} ({size / 1e6:.1f} MB); "
          f"for older Pythons: {', '.join(backports) or 'nothing'}; "
          f"tree-sitter bindings added: {', '.join(Path(a).name for a in added) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
