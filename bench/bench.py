"""Benchmarks for dutysplit, all reported as ratios measured within one run.

    /tmp/venv/bin/python bench/bench.py            # prints a Markdown report (bench/RESULTS.md is one)

1. CLI cold start: `dutysplit --version` and `dutysplit parse SAMPLE` vs `python -c pass` (median of 10).
2. In-process throughput over all samples (MB/s, docs/s) vs reading + NFKC-normalising the same text.
3. A batch of 1,000 documents (copies of the samples): docs/s with 1 and 2 worker processes, peak RSS.
4. Scaling: 1x, 4x, 16x a large document (the samples concatenated).
5. Hostile inputs (issue 10): wall time and peak memory of `dutysplit parse` on each, in a fresh
   process, best of 3; target under 2 s and under 200 MB each.

    python bench/bench.py hostile                  # only step 5
A missed target gets a cProfile of its hot spots.
"""
from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
SAMPLE = ROOT / "samples" / "002_943b2e701313101a.txt"
BIN = Path(sys.executable).parent


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"- nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})\n- CPU: {cpu}\n"
            f"- Python: {platform.python_version()} ({platform.python_implementation()})\n"
            f"- OS: {platform.platform()}\n- load average at start (1/5/15 min): "
            + " / ".join(f"{x:.2f}" for x in os.getloadavg()))


def median_run(cmd: list[str], n: int = 10) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def profile(fn, top: int = 12) -> str:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("cumulative").print_stats(top)
    text = out.getvalue()
    return "\n".join(line for line in text.splitlines() if line.strip())[-4000:]


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def cold_start(report: list[str]) -> None:
    exe = str(BIN / "dutysplit") if (BIN / "dutysplit").exists() else None
    base = [sys.executable, "-m", "dutysplit"] if exe is None else [exe]
    for _ in range(2):  # warm the file cache
        subprocess.run(base + ["parse", str(SAMPLE)], stdout=subprocess.DEVNULL, check=True)
    bare = median_run([sys.executable, "-c", "pass"])
    version = median_run(base + ["--version"])
    parse = median_run(base + ["parse", str(SAMPLE)])
    ratio = parse / bare
    report += [
        "## 1. CLI cold start (median of 10 runs)", "",
        "| command | median | × `python -c pass` |", "| --- | --- | --- |",
        f"| `python -c pass` | {bare * 1000:.1f} ms | 1.00 |",
        f"| `dutysplit --version` | {version * 1000:.1f} ms | {version / bare:.2f} |",
        f"| `dutysplit parse {SAMPLE.relative_to(ROOT)}` | {parse * 1000:.1f} ms | {ratio:.2f} |", "",
        f"Target: parse ≤ 2.5× bare interpreter start — {verdict(ratio <= 2.5)} ({ratio:.2f}×).", "",
    ]
    if ratio > 2.5:
        imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import dutysplit.cli, dutysplit.api"],
                             capture_output=True, text=True).stderr.splitlines()
        heavy = sorted((ln for ln in imp if "|" in ln and ln.split("|")[1].strip().isdigit()),
                       key=lambda ln: -int(ln.split("|")[1]))[:12]
        report += ["Why: the heaviest imports (`python -X importtime`, cumulative µs):", "", "```", *heavy, "```", ""]


def throughput(report: list[str]) -> None:
    from dutysplit.api import parse_text_dict

    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    for t in texts:
        parse_text_dict(t)  # warm: regex compilation, table loading

    def bench(fn, reps: int = 5) -> float:
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    t_parse = bench(lambda: [parse_text_dict(t) for t in texts])
    t_read = bench(lambda: [unicodedata.normalize("NFKC", p.read_bytes().decode("utf-8")) for p in SAMPLES])
    rate = mb / t_parse
    report += [
        "## 2. In-process throughput (one core, best of 5 passes over all samples)", "",
        f"- input: {len(texts)} samples, {mb:.3f} MB UTF-8",
        f"- parse (`parse_text_dict`): {t_parse * 1000:.1f} ms per pass → **{rate:.2f} MB/s**, "
        f"**{len(texts) / t_parse:.0f} docs/s**",
        f"- read + NFKC-normalise the same files: {t_read * 1000:.2f} ms → {mb / t_read:.0f} MB/s",
        f"- parse costs {t_parse / t_read:.0f}× reading + normalising", "",
        f"Target: ≥ 5 MB/s on one core — {verdict(rate >= 5)} ({rate:.2f} MB/s).", "",
    ]
    if rate < 5:
        report += ["Why (cProfile, one pass, cumulative):", "", "```",
                   profile(lambda: [parse_text_dict(t) for t in texts]), "```", ""]


def _parse_many(paths: list[str]) -> tuple[int, int]:
    from dutysplit.api import parse_file_dict

    for p in paths:
        parse_file_dict(p)
    return len(paths), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm(_: int = 0) -> int:
    from dutysplit.api import parse_text_dict

    parse_text_dict("1.任务\n责任单位：县局")
    return os.getpid()


def batch(report: list[str]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="dutysplit-bench-"))
    try:
        paths = []
        for i in range(1000):
            src = SAMPLES[i % len(SAMPLES)]
            dst = tmp / f"{i:04d}_{src.name}"
            shutil.copyfile(src, dst)
            paths.append(str(dst))
        mb = sum(os.path.getsize(p) for p in paths) / 1e6
        rows, rates, rss = [], {}, {}
        for jobs in (1, 2):
            chunks = [paths[i::jobs * 8] for i in range(jobs * 8)]  # 8 chunks per worker: even load
            with ProcessPoolExecutor(max_workers=jobs) as ex:
                list(ex.map(_warm, range(jobs)))  # start and warm the workers outside the timing
                t0 = time.perf_counter()
                results = list(ex.map(_parse_many, chunks))
                dt = time.perf_counter() - t0
            assert sum(n for n, _ in results) == 1000
            rates[jobs] = 1000 / dt
            rss[jobs] = max(r for _, r in results) / 1024  # ru_maxrss is KiB on Linux
            rows.append(f"| {jobs} | {dt:.2f} s | {rates[jobs]:.0f} | {mb / dt:.2f} | {rss[jobs]:.0f} MB |")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        speedup = rates[2] / rates[1]
        peak = max(max(rss.values()), parent)
        report += [
            "## 3. Batch of 1,000 documents (copies of the samples, `parse_file_dict` in worker processes)", "",
            "| workers | wall time | docs/s | MB/s | peak RSS of a worker |", "| --- | --- | --- | --- | --- |",
            *rows, "",
            f"- parent process peak RSS: {parent:.0f} MB",
            f"- speed-up with 2 workers: {speedup:.2f}×", "",
            f"Target: 2 jobs ≥ 1.7× 1 job — {verdict(speedup >= 1.7)} ({speedup:.2f}×).  ",
            f"Target: peak memory < 150 MB — {verdict(peak < 150)} ({peak:.0f} MB).", "",
        ]
        if speedup < 1.7:
            report += [f"Why: this run had {len(os.sched_getaffinity(0))} usable core(s) and a load average of "
                       f"{os.getloadavg()[0]:.2f} when it ended; a second worker only helps with a second *free* "
                       "core. One worker's profile (below) shows the work is pure CPU in the parser, with no "
                       "shared lock or I/O wait to explain a shortfall on an idle machine.", "", "```",
                       profile(lambda: _parse_many(paths[:100])), "```", ""]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def scaling(report: list[str]) -> None:
    from dutysplit.api import parse_text_dict

    big = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    parse_text_dict(big)
    rows, base = [], None
    for k in (1, 4, 16):
        text = big * k
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            parse_text_dict(text)
            best = min(best, time.perf_counter() - t0)
        base = base or best
        rows.append(f"| {k}× | {len(text):,} chars | {best * 1000:.1f} ms | {best / base:.2f} | "
                    f"{len(text) / best / 1e6:.2f} M chars/s |")
    ratio16 = float(rows[-1].split("|")[4])
    report += [
        "## 4. Scaling (best of 3; the samples concatenated, repeated k times)", "",
        "| size | chars | time | × 1× | rate |", "| --- | --- | --- | --- | --- |", *rows, "",
        f"Linear growth: 16× the input costs {ratio16:.1f}× the time — "
        f"{verdict(ratio16 <= 16 * 1.25)} (≤ 20× allowed).", "",
    ]


HOSTILE = {
    "one long unit name: `1.任务。\\n责任单位:` + `财政局` × 13,334": "1.任务。\n责任单位:" + "财政局" * 13334,
    "a 1 MB line of ` \\|`-separated cells (`x \\|` × 333,334)": "x |" * 333_334,  # \\| in a Markdown table
}
HOSTILE_SECONDS, HOSTILE_MB = 2.0, 200


def _run_measured(cmd: list[str], timeout: float = 600) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one run of ``cmd`` in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        proc.returncode = 0
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def hostile(report: list[str]) -> None:
    exe = str(BIN / "dutysplit") if (BIN / "dutysplit").exists() else None
    base = [sys.executable, "-m", "dutysplit"] if exe is None else [exe]
    import dutysplit

    tmp = Path(tempfile.mkdtemp(prefix="dutysplit-hostile-"))
    rows, ok = [], True
    try:
        for name, text in HOSTILE.items():
            p = tmp / "input.txt"
            p.write_text(text, encoding="utf-8")
            runs = [_run_measured(base + ["parse", str(p), "-q"]) for _ in range(3)]
            wall, rss = min(r[0] for r in runs), max(r[1] for r in runs)
            good = wall < HOSTILE_SECONDS and rss < HOSTILE_MB and all(r[2] == 0 for r in runs)
            ok = ok and good
            rows.append(f"| {name} | {len(text.encode()):,} B | {wall:.2f} s | {rss:.0f} MB | {verdict(good)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report += [
        "## 5. Hostile inputs (`dutysplit parse FILE -q`, a fresh process each, best wall time of 3, peak RSS)", "",
        f"Code: `{Path(dutysplit.__file__).parent}`", "",
        "| input | size | wall time | peak RSS | < 2 s and < 200 MB |", "| --- | --- | --- | --- | --- |", *rows, "",
        f"Target: each under {HOSTILE_SECONDS:.0f} s and {HOSTILE_MB} MB — {verdict(ok)}.", "",
    ]


def main() -> None:
    steps = {"cold_start": cold_start, "throughput": throughput, "batch": batch, "scaling": scaling,
             "hostile": hostile}
    chosen = [steps[a] for a in sys.argv[1:]] or list(steps.values())
    report = ["# dutysplit benchmarks", "", "Produced by `python bench/bench.py`; every figure is measured "
              "in the same run as what it is compared with.", "", "## Machine", "", machine(), ""]
    for step in chosen:
        step(report)
        print(f"done: {step.__name__}", file=sys.stderr, flush=True)
    print("\n".join(report))


if __name__ == "__main__":
    main()
