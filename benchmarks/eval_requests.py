"""Quality of request analysis on the labelled sets in ../shared/eval/requests/.

Runs `xyguard batch requests` as a subprocess (the interface users and
agents call) on each file; the prediction is `clarify.needed`. Prints recall
per kind, false-positive rate, precision and accuracy per file. For files
made of fully-specified/underspecified pairs it also counts pairs whose two
texts are byte-identical (opposite labels, same input) and the accuracy
ceiling that implies for any detector.

    .venv/bin/python benchmarks/eval_requests.py [--data DIR] [--codes]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "requests"


def predict(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
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


def score(path: Path, show_codes: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = predict(path)
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
    print(f"== {path.name}: {n} rows" + (f", {errors} errors" if errors else ""))
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
    parser.add_argument("--codes", action="store_true", help="show which codes drove the questions per kind")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no *.jsonl files in {args.data}")
    for path in files:
        score(path, args.codes)


if __name__ == "__main__":
    main()
