"""Quality of request analysis on the labelled sets in ../shared/eval/requests/.

Runs `xyguard batch requests` as a subprocess (the interface users and
agents call) on each file; the prediction is `clarify.needed`. Prints recall
per kind, false-positive rate, precision and accuracy per file. For files
made of fully-specified/underspecified pairs it also counts pairs whose two
texts are byte-identical (opposite labels, same input) and the accuracy
ceiling that implies for any detector.

Rows are split into two halves by a hash of their `group` (all versions of
one problem or issue land in the same half). Detectors are developed
looking at half A only; half B is the check that they generalise. By
default the figures are printed for A, B and the whole file; `--half`
restricts them to one half.

    .venv/bin/python benchmarks/eval_requests.py [--data DIR] [--half A|B] [--codes]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "requests"


def half_of(group: str) -> str:
    """'A' or 'B', stable across runs and machines (not Python's salted hash)."""
    return "A" if hashlib.sha256(group.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(rows: list[dict]) -> dict[str, dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
        batch_input = fh.name
    try:
        proc = subprocess.run([sys.executable, "-m", "xyguard.server", "batch", "requests", batch_input],
                              capture_output=True, text=True, check=False)
    finally:
        Path(batch_input).unlink(missing_ok=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"xyguard batch failed ({proc.returncode}): {proc.stderr[-500:]}")
    return {o["id"]: o for o in map(json.loads, proc.stdout.splitlines())}


def identical_pairs(rows: list[dict]) -> tuple[int, int]:
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        groups[r["group"]].append(r)
    pairs = [g for g in groups.values() if len(g) == 2 and g[0]["needs_clarification"] != g[1]["needs_clarification"]]
    same = sum(1 for a, b in pairs if a["text"] == b["text"])
    return len(pairs), same


def score(title: str, rows: list[dict], out: dict[str, dict], show_codes: bool) -> None:
    tp = fp = tn = fn = errors = 0
    per_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    codes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in rows:
        result = out.get(r["id"], {})
        if "error" in result or not result:
            errors += 1
        pred = bool(result.get("clarify", {}).get("needed"))
        label = bool(r["needs_clarification"])
        per_kind[r["kind"]][0] += pred
        per_kind[r["kind"]][1] += 1
        for c in result.get("clarify", {}).get("codes", []) if pred else []:
            codes[r["kind"]][c] += 1
        tp += pred and label
        fp += pred and not label
        tn += (not pred) and not label
        fn += (not pred) and label
    n = len(rows)
    print(f"== {title}: {n} rows" + (f", {errors} errors" if errors else ""))
    for kind, (flagged, total) in sorted(per_kind.items()):
        label = next(r["needs_clarification"] for r in rows if r["kind"] == kind)
        what = "recall" if label else "false-positive rate"
        print(f"  {kind:<18} {what:<20} {flagged / total:6.1%}  ({flagged}/{total})")
        if show_codes and codes[kind]:
            print("      codes:", ", ".join(f"{c}={k}" for c, k in codes[kind].most_common()))
    recall = tp / (tp + fn) if tp + fn else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    accuracy = (tp + tn) / n if n else 0.0
    print(f"  overall: recall {recall:.1%}  false-positive rate {fpr:.1%}  precision {precision:.1%}  accuracy {accuracy:.3f}")
    pairs, same = identical_pairs(rows)
    if pairs and same:
        ceiling = (n - same) / n
        print(f"  {same} of {pairs} labelled pairs have byte-identical texts with opposite labels: "
              f"no detector can exceed accuracy {ceiling:.3f} on this file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--half", choices=("A", "B"), help="score only this half of each file (split by group)")
    parser.add_argument("--codes", action="store_true", help="show which codes drove the questions per kind")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no *.jsonl files in {args.data}")
    for path in files:
        rows = load_rows(path)
        halves = {h: [r for r in rows if half_of(r["group"]) == h] for h in ("A", "B")}
        wanted = [args.half] if args.half else ["A", "B"]
        out = predict([r for h in wanted for r in halves[h]])
        for h in wanted:
            score(f"{path.name} half {h}", halves[h], out, args.codes)
        if not args.half:
            score(f"{path.name} whole", rows, out, args.codes)
        print()


if __name__ == "__main__":
    main()
