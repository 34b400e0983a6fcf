"""Safe in every pipeline (issue 10): standard output carries only data whatever standard error is;
outputs never replace an input or a device; every failure to write is one line and a documented exit
code, and leaves no temporary file (disk full, Ctrl-C); warnings are one line each on standard error.

Everything runs the real command line in a subprocess. Where a failure cannot be produced for real in a
test (a full disk, a write slow enough to interrupt), a few lines run before the command line replace
``os.write`` for our temporary files only (``PATCH_*``): the command line itself is unchanged.
"""
from __future__ import annotations

import json
import os
import pty
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dutysplit.batch import TMP_PREFIX

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
S002 = ROOT / "samples" / "002_943b2e701313101a.txt"  # it has four `possible_typo` warnings
CLI = [sys.executable, "-m", "dutysplit"]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def cli(*args, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("timeout", 120)
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, cwd=ROOT, env=ENV, **kw)


def patched(patch: str, *args) -> list[str]:
    """The command line, run after ``patch`` (Python source) in the same process."""
    return [sys.executable, "-c", patch + "\nfrom dutysplit.cli import main\nmain(prog_name='dutysplit')\n",
            *map(str, args)]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TMP_PREFIX)]


def copies(folder: Path, n: int, text: bytes | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        p = folder / f"doc{i:03d}.txt"
        p.write_bytes(text if text is not None else SAMPLES[i % len(SAMPLES)].read_bytes())
        made.append(p)
    return made


# ---------------------------------------------------------------------------------------------------
# 1. progress on a terminal never touches standard output


def _with_tty_stderr(args: list[str], stdout) -> tuple[int, bytes, bytes]:
    """Run the CLI with standard error on a real pseudo-terminal; (exit code, stdout if piped, what the
    terminal received)."""
    master, slave = pty.openpty()
    env = {**ENV, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    proc = subprocess.Popen([*CLI, *args], stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
    os.close(slave)
    seen: list[bytes] = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out = proc.stdout.read() if stdout == subprocess.PIPE else b""
    rc = proc.wait(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    return rc, out, b"".join(seen)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    copies(folder, 60)
    return folder


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_progress_on_a_terminal_leaves_stdout_to_the_data(many, tmp_path, fmt):
    args = ["parse", str(many), "-f", fmt, "-j", "2"]
    want = cli(*args)
    assert want.returncode == 0 and len(want.stdout) > 100_000
    # stdout a file
    with open(tmp_path / "out", "wb") as fh:
        rc, _, terminal = _with_tty_stderr(args, fh)
    assert rc == 0
    assert (tmp_path / "out").read_bytes() == want.stdout
    assert b"parsing" in terminal  # the progress bar was drawn: the case that lost the output before
    # stdout a pipe
    rc, out, terminal = _with_tty_stderr(args, subprocess.PIPE)
    assert rc == 0 and out == want.stdout
    assert b"parsing" in terminal and b'"schema_version"' not in terminal and b"part,section" not in terminal


# ---------------------------------------------------------------------------------------------------
# 2. writing: never over an input or a device; one line, a documented code, no temporary file


def test_o_refuses_an_input_also_through_links(tmp_path):
    a = tmp_path / "a.txt"
    a.write_bytes(S002.read_bytes())
    (tmp_path / "soft.txt").symlink_to(a)
    os.link(a, tmp_path / "hard.txt")
    for target in ("a.txt", "soft.txt", "hard.txt", "./a.txt"):
        r = subprocess.run([*CLI, "parse", "a.txt", "-o", target], capture_output=True, text=True, cwd=tmp_path,
                           env=ENV, timeout=60)
        assert r.returncode == 2, target
        assert r.stderr == f"dutysplit: error: {target}: is the input a.txt: not overwritten\n"
        assert a.read_bytes() == S002.read_bytes()
    assert (tmp_path / "soft.txt").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "hard.txt", "soft.txt"]


def test_o_refuses_an_existing_device_or_fifo(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    targets = [fifo]
    if os.geteuid() == 0:  # a device node like /dev/null, made here rather than touching the real one
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(dev)
    for target in targets:
        before = os.stat(target)
        r = cli("parse", S002, "-q", "-o", target, timeout=60)
        assert r.returncode == 2, target
        err = r.stderr.decode()
        assert err.count("\n") == 1 and err.startswith(f"dutysplit: error: {target}: ")
        after = os.stat(target)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not leftovers(tmp_path)


def test_o_dash_is_standard_output():
    r = cli("parse", S002, "-q", "-o", "-")
    assert r.returncode == 0 and json.loads(r.stdout)["meta"]["year"] == 2024


def test_output_dir_keeps_every_output_inside(tmp_path):
    work = tmp_path / "a" / "work"
    work.mkdir(parents=True)
    x = tmp_path / "a" / "x"
    x.mkdir()
    (x / "d.txt").write_bytes(S002.read_bytes())
    # `..` walks a/ (which holds x/d.txt): its name was `..`, and x/d.txt went to out/../x/d.json
    r = subprocess.run([*CLI, "parse", "..", "../x", "-q", "--output-dir", "out"], capture_output=True, text=True,
                       cwd=work, env=ENV, timeout=120)
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json"))
    assert made and all(m.startswith("a/work/out/") for m in made), made
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr
    r = subprocess.run([*CLI, "parse", "../x", "-q", "--output-dir", "out2"], capture_output=True, text=True,
                       cwd=work, env=ENV, timeout=120)
    assert r.returncode == 0 and (work / "out2" / "d.json").is_file()


PATCH_ENOSPC = """
import errno, os
_real_write = os.write
_started = set()
def _write(fd, data):
    try:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        name = ""
    if not name.startswith(".dutysplit-tmp-"):
        return _real_write(fd, data)
    if fd not in _started:  # the first write goes through in part, then the disk is full
        _started.add(fd)
        return _real_write(fd, bytes(memoryview(data)[:4096]))
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.write = _write
"""


def test_disk_full_with_o(tmp_path):
    out = tmp_path / "out.json"
    r = subprocess.run(patched(PATCH_ENOSPC, "parse", S002, "-q", "-o", out), capture_output=True, text=True,
                       cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 3
    assert r.stderr == f"dutysplit: error: {out}: cannot write: No space left on device\n"
    assert list(tmp_path.iterdir()) == []  # neither the output nor a temporary file


def test_o_into_a_place_that_cannot_be_written(tmp_path):
    """A real failure, also for root: the parent 'directory' is a file. Before: a traceback."""
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.json"
    r = cli("parse", S002, "-q", "-o", out)
    assert r.returncode == 3
    err = r.stderr.decode("utf-8")
    assert err.startswith(f"dutysplit: error: {out}: cannot write: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_disk_full_with_output_dir(tmp_path, jobs):
    inputs = copies(tmp_path / "in", 4)
    out = tmp_path / "out"
    r = subprocess.run(patched(PATCH_ENOSPC, "parse", tmp_path / "in", "-q", "-j", jobs, "--output-dir", out),
                       capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 3
    lines = r.stderr.splitlines()
    assert lines == [f"dutysplit: error: {p}: cannot write {out / p.with_suffix('.json').name}: No space left on device"
                     for p in inputs]
    assert not leftovers(out) and not list(out.rglob("*.json"))


def test_disk_full_on_standard_output():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        r = subprocess.run([*CLI, "parse", str(S002), "-q"], stdout=full, stderr=subprocess.PIPE, text=True,
                           cwd=ROOT, env=ENV, timeout=60)
    assert r.returncode == 3
    assert r.stderr == "dutysplit: error: -: cannot write standard output: No space left on device\n"


# each write to one of our temporary files is slow: a run can be interrupted while it writes
PATCH_SLOW = """
import os, time
_real_write = os.write
def _write(fd, data):
    try:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        name = ""
    if name.startswith(".dutysplit-tmp-"):
        time.sleep(0.1)
        return _real_write(fd, bytes(memoryview(data)[:16384]))
    return _real_write(fd, data)
os.write = _write
"""


def _interrupt_while_writing(cmd: list[str], folder: Path) -> subprocess.CompletedProcess:
    """Start ``cmd`` in its own process group, wait for a temporary file, press Ctrl-C (SIGINT to the
    whole group, as a terminal does)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not leftovers(folder) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert leftovers(folder), "no temporary file appeared"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err.decode("utf-8"))


def test_ctrl_c_while_writing_o_exits_130_and_leaves_nothing(tmp_path):
    out = tmp_path / "out.json"
    r = _interrupt_while_writing(patched(PATCH_SLOW, "parse", S002, "-q", "-o", out), tmp_path)
    assert r.returncode == 130
    assert r.stderr == "dutysplit: interrupted\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_a_batch_exits_130_and_leaves_no_temporary_file(tmp_path, jobs):
    copies(tmp_path / "in", 8)
    out = tmp_path / "out"
    r = _interrupt_while_writing(patched(PATCH_SLOW, "parse", tmp_path / "in", "-q", "-j", jobs, "-d", out), out)
    assert r.returncode == 130
    assert r.stderr == "dutysplit: interrupted\n"
    assert not leftovers(out)
    for p in out.rglob("*.json"):  # what was written is whole
        json.loads(p.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------
# 8. warnings: one line each on standard error, unless --quiet; --strict makes them fail the run


def test_warnings_are_one_line_each(tmp_path):
    r = cli("parse", S002)
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    want = [f"dutysplit: warning: {S002}: line {d['line']}: {d['message']}"
            for d in doc["diagnostics"] if d["level"] == "warning"]
    assert len(want) >= 1
    assert r.stderr.decode("utf-8").splitlines() == want
    # no line: no `line N:` part
    p = tmp_path / "prose.txt"
    p.write_text("这是一段没有任务的文字。\n", encoding="utf-8")
    r = cli("parse", p)
    assert r.returncode == 0 and r.stderr.decode("utf-8") == f"dutysplit: warning: {p}: no tasks found\n"


def test_quiet_and_strict(tmp_path):
    r = cli("parse", S002, "-q")
    assert r.returncode == 0 and r.stderr == b""
    r = cli("parse", S002, "--strict")
    assert r.returncode == 1
    err = r.stderr.decode("utf-8").splitlines()
    assert err[-1] == f"dutysplit: error: {S002}: 4 warnings (--strict)" and len(err) == 5
    r = cli("parse", S002, "--strict", "-q")
    assert r.returncode == 1 and r.stderr.decode("utf-8") == f"dutysplit: error: {S002}: 4 warnings (--strict)\n"


def test_warnings_in_a_batch_name_their_file(tmp_path):
    made = copies(tmp_path / "in", 3, S002.read_bytes())
    r = cli("parse", tmp_path / "in", "-j", "2", "-f", "jsonl")
    warned = sorted({line.split(": ")[2] for line in r.stderr.decode("utf-8").splitlines()})
    assert r.returncode == 0 and warned == [str(p) for p in made]


def test_every_exit_code_is_documented():
    from dutysplit import errors

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert codes == {0, 1, 2, 3, 130}
    for code in codes:
        assert f"\n| {code} |" in table, code
