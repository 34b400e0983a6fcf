"""Benchmarks for dutysplit (issue 15's figures), all compared within one run on one machine.

    .venv/bin/python bench/bench.py                     # prints a Markdown report (bench/RESULTS.md holds runs)
    .venv/bin/python bench/bench.py cold_start batch    # only the steps named
    DUTYSPLIT_SRC=/tmp/old/src .venv/bin/python bench/bench.py   # measure another code tree
    JC=/path/to/jc .venv/bin/python bench/bench.py      # jc to compare with (default: `jc` on PATH)

Every command-line run is `python -m dutysplit ...` (never the venv's console script), so that a tree
given by DUTYSPLIT_SRC (first on PYTHONPATH for subprocesses, first on sys.path in process) and the
installed tree are started the same way. Subprocesses run without PYTHONDONTWRITEBYTECODE (this sandbox
sets it; users' installs have .pyc files), after warm-up runs that write the .pyc files. The inputs
(samples/, tests/data/corpus/raw/) are always this checkout's, whatever tree is measured.

1. cold_start: `python -m dutysplit parse SAMPLE` vs `python -c pass` and vs `jc --ls`, paired and
   interleaved (2 warm-up rounds, then BENCH_ROUNDS rounds, default 15); medians and the median of the
   per-round ratios. Target: ≤ 4× bare (goal 2.5×) and not slower than jc.
2. throughput: in-process `parse_text_dict`, one core, MB/s over the samples, the corpus and both
   (best of 5 passes after a warm pass). Target ≥ 15 MB/s (goal 30) on each.
3. batch: 1,000 files (copies of samples and corpus) through `python -m dutysplit parse DIR -j N -q`,
   N = 1 and 2, interleaved, best of 3 wall times; peak RSS over the CLI and its workers (each run in a
   fresh wrapper process: RUSAGE_CHILDREN). Target: speed-up ≥ 1.7×, peak < 150 MB.
4. scaling: the samples concatenated, 1×, 4×, 16×, in process, best of 3. Target: 16× ≤ 18× time.
5. hostile (issue 10): wall time and peak memory of `dutysplit parse FILE -q` on each input, a fresh
   process each, best of 3; target under 2 s and under 200 MB each.

A missed target gets a profile of its hot spots (cProfile, or `-X importtime` for start-up).
"""
from __future__ import annotations

import cProfile
import importlib.util
import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CORPUS = sorted((ROOT / "tests" / "data" / "corpus" / "raw").glob("*.txt"))
SAMPLE = ROOT / "samples" / "002_943b2e701313101a.txt"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))

SRC = os.environ.get("DUTYSPLIT_SRC")
SRC = str(Path(SRC).resolve()) if SRC else None
if SRC:
    sys.path.insert(0, SRC)


def sub_env() -> dict[str, str]:
    """The environment of every measured subprocess: .pyc files allowed, DUTYSPLIT_SRC first on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if SRC:
        env["PYTHONPATH"] = os.pathsep.join([SRC] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


DS = [sys.executable, "-m", "dutysplit"]
CWD = "/"  # `-m` puts the working directory first on sys.path: run where no `dutysplit` directory is


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.run(cmd, env=sub_env(), cwd=CWD, **kw)


def timed(cmd: list[str], stdin_path: str | None = None) -> float:
    with open(stdin_path or os.devnull, "rb") as stdin:
        t0 = time.perf_counter()
        proc = run(cmd, stdin=stdin)
        dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    return dt


def cli_help() -> str:
    return run(DS + ["parse", "--help"], stdout=subprocess.PIPE, text=True).stdout


def code_measured() -> str:
    """Which dutysplit the in-process steps and the subprocesses import, and its git state."""
    import dutysplit

    here = Path(dutysplit.__file__).parent
    probe = run([sys.executable, "-c", "import dutysplit; print(dutysplit.__file__)"],
                stdout=subprocess.PIPE, text=True).stdout.strip()
    git = subprocess.run(["git", "-C", str(here), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."], capture_output=True,
                           text=True).stdout.split("\n")
    dirty = [ln[3:] for ln in dirty if ln.strip()]
    head = git.stdout.strip()[:90] if git.returncode == 0 else "not a git checkout"
    return "\n".join([
        f"- DUTYSPLIT_SRC: `{SRC or '(unset)'}`",
        f"- in process: `{here}`", f"- subprocesses (`python -m dutysplit`): `{Path(probe).parent}`",
        f"- commit: {head}" + (f" (uncommitted changes: {', '.join(dirty)})" if dirty else " (clean)"),
        f"- inputs: `{ROOT}` ({len(SAMPLES)} samples, {len(CORPUS)} corpus files)",
    ])


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
            f"- Python: {platform.python_version()} ({platform.python_implementation()}) `{sys.executable}`\n"
            f"- OS: {platform.platform()}\n- load average at start (1/5/15 min): "
            + " / ".join(f"{x:.2f}" for x in os.getloadavg()))


def profile(fn, top: int = 12) -> str:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    return _stats(pstats.Stats(pr), top)


def _stats(stats: pstats.Stats, top: int, sort: str = "cumulative", limit: int = 4000) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(sort).print_stats(top)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    lines = [ln for ln in lines if "/click/" not in ln and "<frozen runpy>" not in ln  # wrappers, not work
             and not ln.rstrip().endswith(".prof")]  # the header naming a temporary file
    return "\n".join(lines)[-limit:]


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def find_jc() -> str | None:
    jc = os.environ.get("JC") or shutil.which("jc")
    return jc if jc and os.access(jc, os.X_OK) else None


def cold_start(report: list[str]) -> None:
    jc = find_jc()
    tmp = Path(tempfile.mkdtemp(prefix="dutysplit-bench-"))
    try:
        ls_out = tmp / "ls.txt"  # what `jc --ls` reads: the names in this checkout, as `ls` prints them
        ls_out.write_text("\n".join(sorted(os.listdir(ROOT))) + "\n")
        cmds = {
            "bare": ([sys.executable, "-c", "pass"], None),
            "version": (DS + ["--version"], None),
            "parse": (DS + ["parse", str(SAMPLE)], None),
        }
        if jc:
            cmds["jc"] = ([jc, "--ls"], str(ls_out))
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for r in range(2 + ROUNDS):  # 2 warm-up rounds: file cache and .pyc files
            for k, (cmd, stdin) in cmds.items():
                dt = timed(cmd, stdin)
                if r >= 2:
                    times[k].append(dt)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    import dutysplit.cli

    pyc = Path(importlib.util.cache_from_source(dutysplit.cli.__file__)).exists()
    med = {k: statistics.median(v) for k, v in times.items()}
    per_round = lambda a, b: statistics.median(x / y for x, y in zip(times[a], times[b]))  # noqa: E731
    ratio = per_round("parse", "bare")
    rows = [f"| `python -c pass` | {med['bare'] * 1000:.1f} ms | 1.00 | |",
            f"| `python -m dutysplit --version` | {med['version'] * 1000:.1f} ms | "
            f"{per_round('version', 'bare'):.2f} | |",
            f"| `python -m dutysplit parse {SAMPLE.relative_to(ROOT)}` | {med['parse'] * 1000:.1f} ms | {ratio:.2f} | "
            + (f"{per_round('parse', 'jc'):.2f} |" if jc else "– |")]
    if jc:
        rows.append(f"| `jc --ls` ({jc}) | {med['jc'] * 1000:.1f} ms | {per_round('jc', 'bare'):.2f} | 1.00 |")
    report += [
        f"## 1. CLI cold start (paired, interleaved: {ROUNDS} rounds after 2 warm-up rounds)", "",
        "Subprocesses run without PYTHONDONTWRITEBYTECODE (set in this sandbox), so .pyc files are written by "
        f"the warm-up rounds and used, as in an install (`{Path(dutysplit.cli.__file__).name}` has a .pyc: "
        f"{'yes' if pyc else 'NO'}). dutysplit is started as `python -m dutysplit`.", "",
        "| command | median | median of per-round ratios × bare | × jc |", "| --- | --- | --- | --- |", *rows, "",
        f"Target: parse ≤ 4× bare interpreter start — {verdict(ratio <= 4)} ({ratio:.2f}×); "
        f"goal 2.5× — {'reached' if ratio <= 2.5 else 'not reached'}.  ",
    ]
    if jc:
        rj = per_round("parse", "jc")
        report.append(f"Target: not slower than `jc --ls` — {verdict(rj <= 1.0)} ({rj:.2f}× jc).")
    else:
        rj = None
        report.append("Target: not slower than jc — not measured: no `jc` on PATH and no JC=/path given.")
    report.append("")
    if ratio > 4 or (rj is not None and rj > 1.0):
        imp = run(DS[:1] + ["-X", "importtime"] + DS[1:] + ["parse", str(SAMPLE)],
                  stderr=subprocess.PIPE, text=True).stderr.splitlines()
        heavy = sorted((ln for ln in imp if ln.count("|") == 2 and ln.split("|")[1].strip().isdigit()),
                       key=lambda ln: -int(ln.split("|")[1]))[:12]
        fd, prof = tempfile.mkstemp(suffix=".prof")
        os.close(fd)
        try:
            run(DS[:1] + ["-m", "cProfile", "-o", prof] + DS[1:] + ["parse", str(SAMPLE)])
            excerpt = _stats(pstats.Stats(prof), 30)
            own = _stats(pstats.Stats(prof), 12, "tottime", 2500)
        finally:
            os.unlink(prof)
        report += ["Why: the heaviest imports of that command (`python -X importtime`, cumulative µs):", "",
                   "```", *heavy, "```", "", "and its cProfile (cumulative; click and runpy frames left out):", "",
                   "```", excerpt, "```", "",
                   "by own time:", "", "```", own, "```", ""]


def throughput(report: list[str]) -> None:
    from dutysplit.api import parse_text_dict

    sets = {"samples": SAMPLES, "corpus": CORPUS, "both": SAMPLES + CORPUS}
    texts = {k: [p.read_text(encoding="utf-8") for p in v] for k, v in sets.items()}
    failed = []
    for p, t in zip(sets["both"], texts["both"]):  # warm pass: compiling, table loading
        try:
            parse_text_dict(t)
        except Exception as e:  # an old tree may fail on a newer input: measured without it, and said
            failed.append(f"{p.name}: {type(e).__name__}")
    bad = {f.split(":")[0] for f in failed}
    texts = {k: [t for p, t in zip(sets[k], texts[k]) if p.name not in bad] for k in sets}

    def best(fn, reps: int = 5) -> float:
        b = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            b = min(b, time.perf_counter() - t0)
        return b

    rows, rates = [], {}
    for k, ts in texts.items():
        mb = sum(len(t.encode("utf-8")) for t in ts) / 1e6
        t_parse = best(lambda: [parse_text_dict(t) for t in ts])
        t_read = best(lambda: [unicodedata.normalize("NFKC", t.encode("utf-8").decode("utf-8")) for t in ts])
        rates[k] = mb / t_parse
        rows.append(f"| {k} | {len(ts)} | {mb:.3f} MB | {t_parse * 1000:.1f} ms | **{rates[k]:.2f} MB/s** | "
                    f"{len(ts) / t_parse:.0f} | {mb / t_read:.0f} MB/s |")
    ok = rates["samples"] >= 15 and rates["corpus"] >= 15
    report += [
        "## 2. In-process throughput (`parse_text_dict`, one core, best of 5 passes after a warm pass)", "",
        "| input | files | size (UTF-8) | time per pass | MB/s | docs/s | decode + NFKC, for scale |",
        "| --- | --- | --- | --- | --- | --- | --- |", *rows, "",
    ]
    if failed:
        report += [f"Left out (the parse raised on them): {', '.join(failed)}.", ""]
    report += [
        f"Target: ≥ 15 MB/s on the samples and on the corpus — {verdict(ok)} (samples {rates['samples']:.2f}, "
        f"corpus {rates['corpus']:.2f}, both {rates['both']:.2f} MB/s); goal 30 MB/s — "
        f"{'reached' if min(rates.values()) >= 30 else 'not reached'}.", "",
    ]
    if not ok:
        report += ["Why (cProfile, one pass over both, cumulative):", "", "```",
                   profile(lambda: [parse_text_dict(t) for t in texts["both"]]), "```", ""]


_WRAPPER = """\
import resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
dt = time.perf_counter() - t0
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode, len(p.stderr.splitlines()))
"""


def _cli_measured(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall s, peak RSS MB of the command and every child it waited for, exit status, stderr lines): the
    command runs under a fresh Python wrapper, whose RUSAGE_CHILDREN holds only this run."""
    out = run([sys.executable, "-c", _WRAPPER] + cmd, stdout=subprocess.PIPE, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2]), int(out[3])  # ru_maxrss is KiB on Linux


def batch(report: list[str]) -> None:
    title = "## 3. Batch of 1,000 files through the CLI (`python -m dutysplit parse DIR -j N -q > /dev/null`)"
    helptext = cli_help()
    if "--jobs" not in helptext or "--quiet" not in helptext:
        report += [title, "", "Not run: this tree's `parse` has no `-j/--jobs` or `-q/--quiet` (nor, before "
                   "them, directory inputs), so the batch cannot be given to its CLI.", ""]
        return
    tmp = Path(tempfile.mkdtemp(prefix="dutysplit-bench-"))
    try:
        pool = SAMPLES + CORPUS
        for i in range(1000):
            src = pool[i % len(pool)]
            shutil.copyfile(src, tmp / f"{i:04d}_{src.name}")
        mb = sum(p.stat().st_size for p in tmp.iterdir()) / 1e6
        run(DS + ["parse", str(SAMPLE), "-q"])  # .pyc files
        runs: dict[int, list] = {1: [], 2: []}
        for _ in range(3):  # interleaved: 1, 2, 1, 2, 1, 2
            for jobs in (1, 2):
                runs[jobs].append(_cli_measured(DS + ["parse", str(tmp), "-j", str(jobs), "-q"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    best = {j: min(r[0] for r in rs) for j, rs in runs.items()}
    peak = {j: max(r[1] for r in rs) for j, rs in runs.items()}
    rows = [f"| {j} | {', '.join(f'{r[0]:.2f}' for r in rs)} s | {best[j]:.2f} s | {1000 / best[j]:.0f} | "
            f"{mb / best[j]:.2f} | {peak[j]:.0f} MB | {', '.join(str(r[2]) for r in rs)} |" for j, rs in runs.items()]
    speedup = best[1] / best[2]
    top = max(peak.values())
    report += [
        title, "",
        f"- input: 1,000 files, copies of the {len(SAMPLES)} samples and {len(CORPUS)} corpus files in turn, "
        f"{mb:.2f} MB",
        "- peak RSS: the largest of the CLI process and its worker processes (RUSAGE_CHILDREN of a fresh "
        "wrapper per run), the max over the runs", "",
        "| -j | wall times (3 runs) | best | docs/s | MB/s | peak RSS | exit status |",
        "| --- | --- | --- | --- | --- | --- | --- |", *rows, "",
        f"Target: `-j 2` ≥ 1.7× `-j 1` — {verdict(speedup >= 1.7)} ({speedup:.2f}×).  ",
        f"Target: peak memory < 150 MB — {verdict(top < 150)} ({top:.0f} MB).  ",
        f"Load average when the step ended: {os.getloadavg()[0]:.2f} on {len(os.sched_getaffinity(0))} usable "
        "core(s).", "",
    ]
    if speedup < 1.7:
        from dutysplit.api import parse_file_dict

        paths = [str(p) for p in (SAMPLES + CORPUS)]
        report += ["Why: a second worker only helps with a second *free* core (the load average above). One "
                   "process's profile of parsing every input once (cumulative):", "", "```",
                   profile(lambda: [parse_file_dict(p) for p in paths]), "```", ""]


def scaling(report: list[str]) -> None:
    from dutysplit.api import parse_text_dict

    big = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    parse_text_dict(big)
    rows, times = [], {}
    for k in (1, 4, 16):
        text = big * k
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            parse_text_dict(text)
            best = min(best, time.perf_counter() - t0)
        times[k] = best
        rows.append(f"| {k}× | {len(text):,} chars | {best * 1000:.1f} ms | {best / times[1]:.2f} | "
                    f"{len(text.encode()) / best / 1e6:.2f} MB/s |")
    ratio16 = times[16] / times[1]
    report += [
        "## 4. Scaling (in process, best of 3; the samples concatenated, repeated k times)", "",
        "| size | chars | time | × 1× | rate |", "| --- | --- | --- | --- | --- |", *rows, "",
        f"Target: 16× the input ≤ 18× the time — {verdict(ratio16 <= 18)} ({ratio16:.1f}×).", "",
    ]
    if ratio16 > 18:
        report += ["Why (cProfile of the 16× input, cumulative):", "", "```",
                   profile(lambda: parse_text_dict(big * 16)), "```", ""]


HOSTILE = {
    "one long unit name: `1.任务。\\n责任单位:` + `财政局` × 13,334": "1.任务。\n责任单位:" + "财政局" * 13334,
    "a 1 MB line of ` \\|`-separated cells (`x \\|` × 333,334)": "x |" * 333_334,  # \\| in a Markdown table
}
HOSTILE_SECONDS, HOSTILE_MB = 2.0, 200


def _run_measured(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one run of ``cmd`` in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=sub_env(), cwd=CWD)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        proc.returncode = 0
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def hostile(report: list[str]) -> None:
    quiet = ["-q"] if "--quiet" in cli_help() else []
    tmp = Path(tempfile.mkdtemp(prefix="dutysplit-hostile-"))
    rows, ok = [], True
    try:
        for name, text in HOSTILE.items():
            p = tmp / "input.txt"
            p.write_text(text, encoding="utf-8")
            runs = [_run_measured(DS + ["parse", str(p)] + quiet) for _ in range(3)]
            wall, rss = min(r[0] for r in runs), max(r[1] for r in runs)
            good = wall < HOSTILE_SECONDS and rss < HOSTILE_MB and all(r[2] == 0 for r in runs)
            ok = ok and good
            rows.append(f"| {name} | {len(text.encode()):,} B | {wall:.2f} s | {rss:.0f} MB | {verdict(good)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report += [
        f"## 5. Hostile inputs (`python -m dutysplit parse FILE{' -q' if quiet else ''}`, a fresh process each, "
        "best wall time of 3, peak RSS)", "",
        "| input | size | wall time | peak RSS | < 2 s and < 200 MB |", "| --- | --- | --- | --- | --- |", *rows, "",
        f"Target: each under {HOSTILE_SECONDS:.0f} s and {HOSTILE_MB} MB — {verdict(ok)}.", "",
    ]


def main() -> None:
    steps = {"cold_start": cold_start, "throughput": throughput, "batch": batch, "scaling": scaling,
             "hostile": hostile}
    unknown = [a for a in sys.argv[1:] if a not in steps]
    if unknown:
        sys.exit(f"usage: python bench/bench.py [{'|'.join(steps)}]...  (all when none is named); "
                 f"unknown: {' '.join(unknown)}")
    chosen = [steps[a] for a in sys.argv[1:]] or list(steps.values())
    report = ["# dutysplit benchmarks", "",
              f"Produced by `{'DUTYSPLIT_SRC=' + SRC + ' ' if SRC else ''}python bench/bench.py"
              f"{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`; every figure is measured in the same "
              "run as what it is compared with.", "",
              "## Machine", "", machine(), "", "## Code measured", "", code_measured(), ""]
    for step in chosen:
        step(report)
        print(f"done: {step.__name__}", file=sys.stderr, flush=True)
    report.append(f"Load average at the end (1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n".join(report))


if __name__ == "__main__":
    main()
