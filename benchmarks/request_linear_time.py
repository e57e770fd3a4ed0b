"""Time of request analysis per adversarial pattern family, at growing sizes (linear: time doubles with size).

The families are those of tests/security/test_request_linear_time.py. For each, `detect` + `build_report`
run on 50, 100 and 200 KB (the analysis reads at most MAX_CHARS = 200 KB of a request), and the ratio of
the times at 200 KB and 100 KB is printed: about 2 for linear work, about 4 for quadratic.

    .venv/bin/python benchmarks/request_linear_time.py [--family NAME]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

SIZES = (50_000, 100_000, 200_000)
_TESTS = Path(__file__).resolve().parents[1] / "tests" / "security" / "test_request_linear_time.py"


def families() -> dict:
    spec = importlib.util.spec_from_file_location("request_linear_time_families", _TESTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.FAMILIES


def measure(text: str) -> float:
    from xyguard.analyzers.request.analyze import build_report, detect

    start = time.perf_counter()
    detection = detect(text)
    build_report(detection, detection.findings)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family")
    args = parser.parse_args()
    measure("warm up")
    print(f"{'family':<22}" + "".join(f"{s // 1000:>8} KB" for s in SIZES) + "   ratio 200/100")
    for name, make in sorted(families().items()):
        if args.family and name != args.family:
            continue
        times = [measure(make(size)) for size in SIZES]
        print(f"{name:<22}" + "".join(f"{t:>9.3f}s" for t in times) + f"   {times[2] / max(times[1], 1e-9):6.2f}")


if __name__ == "__main__":
    main()
