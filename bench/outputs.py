"""Benchmark of the document-taking outputs (xlsx, sqlite) against JSON Lines, measured in one run.

    .venv/bin/python bench/outputs.py [N]      # N documents (copies of the samples, each made distinct)

For each format: wall time of `dutysplit parse DIR -o …` with 1 and 2 workers, the parent's peak RSS
(the workers' are those of any batch), and the time per document as a ratio to JSON Lines. The
figures of a run are in bench/OUTPUTS.md.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import machine  # noqa: E402


_WRAP = ("import resource, subprocess, sys\n"
         "with open(sys.argv[1], 'wb') as fh:\n"
         "    subprocess.run(sys.argv[2:], stdout=fh, stderr=subprocess.DEVNULL, check=True)\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run(args: list[str], out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB, the largest process of the run) of one CLI run, measured by a
    wrapper process so that runs do not mix."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _WRAP, str(out), sys.executable, "-m", "dutysplit", *args],
                       capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - t0, int(r.stdout.strip())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(n):
            (folder / f"d{i:04d}.txt").write_text(texts[i % len(texts)] + f"\n附件{i}\n", encoding="utf-8")
        rows = []
        for jobs in (1, 2):
            base = None
            for fmt, target in (("jsonl", None), ("xlsx", "out.xlsx"), ("sqlite", "out.db")):
                out = Path(tmp) / (target or "out.jsonl")
                if out.exists():
                    out.unlink()
                args = ["parse", str(folder), "-j", str(jobs), "-q"]
                args += ["-f", "jsonl"] if target is None else ["-o", str(out)]
                wall, rss = run(args, Path(tmp) / "stdout")
                base = base or wall
                size = out.stat().st_size if target else (Path(tmp) / "stdout").stat().st_size
                rows.append((fmt, jobs, wall, wall / n * 1000, wall / base, rss // 1024, size / 1e6))
    print(f"# dutysplit output benchmark ({n} documents, copies of the five samples)\n")
    print("## Machine\n")
    print(machine() + "\n")
    print("| format | workers | wall s | ms / document | ÷ jsonl | peak RSS MB | output MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for fmt, jobs, wall, per, ratio, rss, size in rows:
        print(f"| {fmt} | {jobs} | {wall:.1f} | {per:.0f} | {ratio:.1f}× | {rss} | {size:.1f} |")
    print("\nPeak RSS: the largest single process of the run (the CLI or one of its workers).")


if __name__ == "__main__":
    main()
