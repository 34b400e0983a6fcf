"""Benchmarks of issue 14: the deadline/target pass and `dutysplit diff` (ratios within one run).

    .venv/bin/python bench/bench_facts_diff.py      # prints the Markdown section pasted in bench/RESULTS.md

1. The facts pass (dutysplit.facts.annotate): parse of the five samples with and without it, in process
   (best of 15, interleaved); its import and pattern compilation in a fresh interpreter.
2. `dutysplit diff` on two 200-task documents (tests/diffpair.large_pair: sample 004 then sample 002, and
   the same with 002 edited): parse both vs compare (best of 5), and the CLI end to end (median of 5) for
   json, text and xlsx.
"""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def best(fn, runs: int) -> float:
    out = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            out = min(out, time.perf_counter() - t0)
        finally:
            gc.enable()
    return out


def median_cmd(cmd: list[str], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def facts_section() -> list[str]:
    from dutysplit import api, facts

    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]

    def parse_all():
        for t in texts:
            api.parse_text_dict(t)

    parse_all()
    with_f, without = [], []
    for _ in range(15):
        api.annotate = facts.annotate
        with_f.append(best(parse_all, 1))
        api.annotate = lambda d: d
        without.append(best(parse_all, 1))
    api.annotate = facts.annotate
    w, wo = min(with_f), min(without)
    code = ("import time; import dutysplit.data, regex; t0 = time.perf_counter(); from dutysplit import facts; "
            "t1 = time.perf_counter(); facts.targets('新增1个'); facts.deadline('2024年6月底前持续推进上半年', [], 2024); "
            "t2 = time.perf_counter(); print(f'{(t1 - t0) * 1000:.1f} {(t2 - t1) * 1000:.1f}')")
    imp, comp = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout.split()
    cold = median_cmd([str(Path(sys.executable).parent / "dutysplit"), "parse", str(SAMPLES[2])], n=10)
    return ["### Facts pass (deadlines, targets)", "",
            "| measure | figure |", "| --- | --- |",
            f"| parse of the 5 samples, in process, with the pass | {w * 1000:.1f} ms |",
            f"| the same without it | {wo * 1000:.1f} ms |",
            f"| cost of the pass | +{(w / wo - 1) * 100:.1f}% |",
            f"| importing dutysplit.facts / compiling its patterns (fresh interpreter) | {imp} ms / {comp} ms |",
            f"| `dutysplit parse samples/002…` cold, median of 10 (with the pass) | {cold * 1000:.0f} ms |", ""]


def diff_section() -> list[str]:
    from dutysplit import diff
    from dutysplit.api import parse_text_dict
    from tests.diffpair import large_pair

    old, new = large_pair(200)
    a, b = parse_text_dict(old), parse_text_dict(new)
    diff.compare(a, b)
    parse = best(lambda: (parse_text_dict(old), parse_text_dict(new)), 5)
    compare = best(lambda: diff.compare(a, b), 5)
    r = diff.compare(a, b)["summary"]
    exe = str(Path(sys.executable).parent / "dutysplit")
    with tempfile.TemporaryDirectory() as d:
        po, pn = os.path.join(d, "old.txt"), os.path.join(d, "new.txt")
        Path(po).write_text(old, encoding="utf-8")
        Path(pn).write_text(new, encoding="utf-8")
        js = median_cmd([exe, "diff", po, pn, "-f", "json"])
        tx = median_cmd([exe, "diff", po, pn, "-f", "text"])
        xl = median_cmd([exe, "diff", po, pn, "-f", "xlsx", "-o", os.path.join(d, "d.xlsx")])
        one = median_cmd([exe, "parse", po])
    return ["### `dutysplit diff`, two 200-task documents", "",
            f"{r['old_tasks']} and {r['new_tasks']} tasks; {r['matched']} matched ({r['changed']} changed), "
            f"{r['added']} added, {r['removed']} removed.", "",
            "| measure | figure |", "| --- | --- |",
            f"| parse both, in process (best of 5) | {parse * 1000:.0f} ms |",
            f"| compare (match + report), in process (best of 5) | {compare * 1000:.0f} ms "
            f"({compare / parse:.2f}× the parse; the test allows 4×) |",
            f"| `dutysplit parse old.txt` (one document, CLI, median of 5) | {one * 1000:.0f} ms |",
            f"| `dutysplit diff old.txt new.txt -f json` (CLI, median of 5) | {js * 1000:.0f} ms |",
            f"| `… -f text` | {tx * 1000:.0f} ms |",
            f"| `… -f xlsx -o d.xlsx` | {xl * 1000:.0f} ms |", ""]


if __name__ == "__main__":
    print("\n".join(facts_section() + diff_section()))
