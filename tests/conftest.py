from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def sample_docs():
    from dutysplit.api import parse_file_dict

    return {p.name: parse_file_dict(str(p)) for p in SAMPLES}


_MEASURE = """\
import resource, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.run(sys.argv[1:], capture_output=True)
took = time.monotonic() - t0
sys.stdout.buffer.write(p.stdout)
sys.stderr.buffer.write(p.stderr)
sys.stderr.write(f"\\n@@ {p.returncode} {took} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n")
"""


def run_measured(cmd: list[str], timeout: float = 120) -> tuple[int, bytes, bytes, float, float]:
    """(exit code, stdout, stderr, seconds, peak MB) of ``cmd``, run under a fresh wrapper process: its
    RUSAGE_CHILDREN holds only this command (the test process's own holds every child it ever ran)."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, cmd)], capture_output=True, timeout=timeout)
    err, _, tail = r.stderr.rpartition(b"\n@@ ")
    code, took, kib = tail.split()
    return int(code), r.stdout, err, float(took), int(kib) / 1024
