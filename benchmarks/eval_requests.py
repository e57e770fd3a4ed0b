"""Quality of request analysis on the labelled sets in shared/eval/requests/ and on replayed commit messages.

Runs `xyguard batch requests` as a subprocess (the interface users and agents call), from a temporary
folder so no repository is indexed by accident; the prediction is `clarify.needed`. Per set:

- humanevalcomm: recall per kind of modification, false-positive rate on the originals;
- docstrings-clear: how often a question is asked, prose and stub separately (every row is a false alarm);
- ambig-swe: accuracy and balanced accuracy, beside a length-only baseline (shorter than a threshold chosen
  on half A = underspecified), because a length rule alone does well on this set;
- with --replay: commit messages of real repositories analysed at their parent commits with --repo
  (benchmarks/replay_commits.py): the share with a repository-grounded warning, and the share asked.

Rows are split into two halves by a stable hash of their `group` (every version of one problem or issue
lands in the same half). Detectors are developed looking at half A only; half B is the check that they
generalise: a gap between the halves means the rules fit the rows.

    .venv/bin/python benchmarks/eval_requests.py [--data DIR] [--half A|B] [--codes] [--replay [--per-repo N]]
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

_HERE = Path(__file__).resolve()
# the shared folder sits beside the main checkout (/work/main) and beside the worktree folder (/work/wt/<name>)
DEFAULT_DATA = next((p / "shared" / "eval" / "requests" for p in _HERE.parents
                     if (p / "shared" / "eval" / "requests").is_dir()), _HERE.parents[2] / "shared" / "eval" / "requests")


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
                              capture_output=True, text=True, check=False, cwd=tempfile.gettempdir())
    finally:
        Path(batch_input).unlink(missing_ok=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"xyguard batch failed ({proc.returncode}): {proc.stderr[-500:]}")
    return {o["id"]: o for o in map(json.loads, proc.stdout.splitlines())}


def asked(result: dict) -> bool:
    return bool(result.get("clarify", {}).get("needed"))


def _codes_line(rows: list[dict], out: dict[str, dict]) -> str:
    counts: collections.Counter = collections.Counter()
    for r in rows:
        if asked(out.get(r["id"], {})):
            counts.update(out[r["id"]]["clarify"].get("codes", []))
    return ", ".join(f"{c}={k}" for c, k in counts.most_common())


def per_kind(title: str, rows: list[dict], out: dict[str, dict], show_codes: bool) -> tuple[int, int, int, int]:
    """Print the asked rate per kind; return (tp, fp, tn, fn)."""
    kinds: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        kinds[r["kind"]].append(r)
    errors = sum(1 for r in rows if "error" in out.get(r["id"], {"error": 1}))
    print(f"== {title}: {len(rows)} rows" + (f", {errors} errors" if errors else ""))
    tp = fp = tn = fn = 0
    for kind, members in sorted(kinds.items()):
        flagged = sum(asked(out.get(r["id"], {})) for r in members)
        label = members[0]["needs_clarification"]
        what = "recall" if label else "asked (false alarms)"
        print(f"  {kind:<18} {what:<22} {flagged / len(members):6.1%}  ({flagged}/{len(members)})")
        if show_codes and flagged:
            print("      codes:", _codes_line(members, out))
        for r in members:
            pred = asked(out.get(r["id"], {}))
            tp += pred and label
            fp += pred and not label
            tn += (not pred) and not label
            fn += (not pred) and label
    return tp, fp, tn, fn


def overall(tp: int, fp: int, tn: int, fn: int) -> str:
    recall = tp / (tp + fn) if tp + fn else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    accuracy = (tp + tn) / max(1, tp + fp + tn + fn)
    balanced = (recall + (1 - fpr)) / 2
    return (f"recall {recall:.1%}  false-positive rate {fpr:.1%}  precision {precision:.1%}  "
            f"accuracy {accuracy:.3f}  balanced accuracy {balanced:.3f}")


def length_threshold(rows: list[dict]) -> int:
    """The length below which calling a text underspecified scores best on these rows."""
    best, best_acc = 0, -1.0
    for cut in sorted({len(r["text"]) for r in rows}):
        acc = sum((len(r["text"]) < cut) == bool(r["needs_clarification"]) for r in rows) / len(rows)
        if acc > best_acc:
            best, best_acc = cut, acc
    return best


def length_baseline(rows: list[dict], cut: int) -> str:
    tp = sum(1 for r in rows if len(r["text"]) < cut and r["needs_clarification"])
    fp = sum(1 for r in rows if len(r["text"]) < cut and not r["needs_clarification"])
    fn = sum(1 for r in rows if len(r["text"]) >= cut and r["needs_clarification"])
    tn = len(rows) - tp - fp - fn
    return overall(tp, fp, tn, fn)


def score_file(path: Path, halves_wanted: list[str], show_codes: bool) -> None:
    rows = load_rows(path)
    halves = {h: [r for r in rows if half_of(r["group"]) == h] for h in ("A", "B")}
    out = predict([r for h in halves_wanted for r in halves[h]])
    cut = length_threshold(halves["A"]) if "ambig" in path.name else None
    for h in halves_wanted:
        counts = per_kind(f"{path.name} half {h}", halves[h], out, show_codes)
        if any(r["needs_clarification"] for r in halves[h]):
            print(f"  overall: {overall(*counts)}")
        if cut is not None:
            print(f"  length-only baseline (< {cut} chars, threshold from half A): {length_baseline(halves[h], cut)}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--half", choices=("A", "B"), help="score only this half of each file (split by group)")
    parser.add_argument("--codes", action="store_true", help="show which codes drove the questions per kind")
    parser.add_argument("--replay", action="store_true", help="also replay commit messages of real repositories")
    parser.add_argument("--per-repo", type=int, default=30, help="commits per repository in the replay")
    parser.add_argument("--replay-out", type=Path, help="write the replayed messages and results here (JSONL)")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no *.jsonl files in {args.data}")
    wanted = [args.half] if args.half else ["A", "B"]
    for path in files:
        score_file(path, wanted, args.codes)
    if args.replay:
        sys.path.insert(0, str(_HERE.parent))
        import replay_commits

        rows = replay_commits.replay(list(replay_commits.DEFAULT_REPOS), args.per_repo)
        replay_commits.summarise([r for r in rows if r["half"] in wanted])
        if args.replay_out:
            with args.replay_out.open("w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
