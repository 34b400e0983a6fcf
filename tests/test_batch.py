"""Batch conversion and shell ergonomics (real subprocesses where the shell matters)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dutysplit.batch import TMP_PREFIX

from .conftest import ROOT, SAMPLES

CLI = [sys.executable, "-m", "dutysplit"]


def cli(*args, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=ROOT, **kw)


def not_warnings(stderr: str) -> list[str]:
    """The lines of standard error that are not warnings (the samples have some: possible typos)."""
    return [line for line in stderr.splitlines() if not line.startswith("dutysplit: warning: ")]


def make_folder(root: Path, n: int) -> list[Path]:
    """n copies of the samples under varied names and nested subfolders."""
    texts = [p.read_bytes() for p in SAMPLES]
    made = []
    for i in range(n):
        sub = root / f"county{i % 7}" / (f"year{2020 + i % 5}" if i % 3 else "")
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"doc {i:04d}_责任分解.txt"
        p.write_bytes(texts[i % len(texts)])
        made.append(p)
    return made


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    root = tmp_path_factory.mktemp("in")
    return root, make_folder(root, 1000)


def test_thousand_files_to_an_output_dir_with_one_corrupt_file(thousand, tmp_path):
    root, made = thousand
    bad = root / "county3" / "broken.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    try:
        out = tmp_path / "out"
        r = cli("parse", root, "--output-dir", out, "--jobs", 2)
        assert r.returncode == 1
        assert not_warnings(r.stderr) == [f"dutysplit: error: {bad}: a PNG image cannot be read; run OCR first and give the text",
                                          "dutysplit: 1000 written, 0 skipped, 1 failed"]
        outputs = sorted(out.rglob("*.json"))
        assert len(outputs) == 1000
        # mirrors the relative paths of the inputs
        rel = {p.relative_to(out).with_suffix(".txt") for p in outputs}
        assert rel == {p.relative_to(root) for p in made}
        sample = json.loads((out / made[7].relative_to(root)).with_suffix(".json").read_text(encoding="utf-8"))
        assert sample["source"]["path"] == str(made[7])
    finally:
        bad.unlink()


def test_kill_mid_way_leaves_no_partial_output_and_skip_existing_finishes(thousand, tmp_path):
    root, made = thousand
    out = tmp_path / "out"
    proc = subprocess.Popen([*CLI, "parse", str(root), "-d", str(out), "-j", "1", "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.rglob("*.json"))) < 50:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(TMP_PREFIX)]
    assert 50 <= len(written) < 1000
    for p in written:  # every file that looks like an output is whole
        json.loads(p.read_text(encoding="utf-8"))
    before = {p: p.stat().st_mtime_ns for p in written}
    r = cli("parse", root, "-d", out, "--skip-existing", "-j", 2)
    assert r.returncode == 0, r.stderr
    assert not_warnings(r.stderr) == [f"dutysplit: {1000 - len(written)} written, {len(written)} skipped, 0 failed"]
    assert len(list(out.rglob("*.json"))) == 1000
    assert not [p for p in out.rglob("*") if p.name.startswith(TMP_PREFIX)]
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())  # skipped, not rewritten


def test_jobs_keep_input_order_and_give_the_same_output(tmp_path):
    one = cli("parse", *SAMPLES, "-f", "jsonl", "-j", 1)
    two = cli("parse", *SAMPLES, "-f", "jsonl", "-j", 2)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert [json.loads(line)["source"]["path"] for line in one.stdout.splitlines()] == [str(p) for p in SAMPLES]


def test_jsonl_of_the_samples_is_five_documents():
    r = cli("parse", *[f"samples/{p.name}" for p in SAMPLES], "--format", "jsonl")
    assert r.returncode == 0 and not_warnings(r.stderr) == []
    assert len([json.loads(line) for line in r.stdout.splitlines()]) == 5


def test_jq_counts_five(tmp_path):
    if not any(os.access(os.path.join(d, "jq"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep)):
        pytest.skip("jq not installed")
    r = subprocess.run(f"{sys.executable} -m dutysplit parse samples/*.txt --format jsonl | jq -s length",
                       shell=True, capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "5"


def test_jsonl_error_record_keeps_a_pipeline_going(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfd\x81\x30")
    r = cli("parse", SAMPLES[0], bad, SAMPLES[1], "-f", "jsonl")
    assert r.returncode == 1
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [("error" in d) for d in lines] == [False, True, False]
    assert lines[1]["source"] == {"path": str(bad)}
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"dutysplit: error: {bad}: ")


def test_yaml_for_several_documents_is_a_stream():
    r = cli("parse", SAMPLES[0], SAMPLES[1], "-f", "yaml")
    docs = list(yaml.safe_load_all(r.stdout))
    assert [d["meta"]["year"] for d in docs] == [2023, 2023]


def test_csv_for_several_documents_has_one_header():
    r = cli("parse", *SAMPLES, "-f", "csv", "--per", "clause")
    lines = r.stdout.splitlines()
    assert sum(line.startswith("part,section") for line in lines) == 1
    assert len(lines) == 1 + 631
    r = cli("parse", *SAMPLES, "-f", "csv")  # one row per task
    lines = r.stdout.splitlines()
    assert sum(line.startswith("seq,part") for line in lines) == 1
    assert len(lines) == 1 + 590


@pytest.mark.parametrize("encoding,name", [("gb18030", "gb18030"), ("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_other_encodings_give_identical_data(tmp_path, encoding, name):
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        p = tmp_path / sample.name
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        p.write_bytes(data)
        got = json.loads(cli("parse", p).stdout)
        want = json.loads(cli("parse", sample).stdout)
        assert got["source"]["encoding"] == name
        got.pop("source"), want.pop("source")
        assert got == want


def test_forced_encoding(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(SAMPLES[4].read_text(encoding="utf-8").encode("gbk"))
    r = cli("parse", p, "--encoding", "gbk", "-f", "tsv")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 122
    r = cli("parse", p, "--encoding", "utf-8")
    assert r.returncode == 1 and r.stderr.startswith(f"dutysplit: error: {p}: not valid utf-8")


def test_closed_pipe_ends_quietly():
    r = subprocess.run(f"{sys.executable} -m dutysplit parse samples/*.txt -f jsonl | head -c 100 >/dev/null",
                       shell=True, capture_output=True, text=True, cwd=ROOT)
    assert r.stderr == ""


def test_never_writes_over_an_input(tmp_path):
    p = tmp_path / "a.json"
    p.write_bytes(SAMPLES[0].read_bytes())
    r = cli("parse", tmp_path, "--glob", "*.json", "-d", tmp_path)
    assert r.returncode == 1 and "would overwrite an input" in r.stderr
    assert p.read_bytes() == SAMPLES[0].read_bytes()


def test_quiet_and_no_progress_when_not_a_terminal(tmp_path):
    r = cli("parse", *SAMPLES, "-d", tmp_path / "o")
    assert not_warnings(r.stderr) == ["dutysplit: 5 written, 0 skipped, 0 failed"]
    r = cli("parse", *SAMPLES, "-d", tmp_path / "o", "-q")
    assert r.stderr == ""


def test_usage_errors_exit_2(tmp_path):
    assert cli("parse", SAMPLES[0], "--skip-existing").returncode == 2
    assert cli("parse", SAMPLES[0], "-o", tmp_path / "x", "-d", tmp_path).returncode == 2
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    assert cli("parse", empty).returncode == 2


def test_debug_shows_a_traceback_for_internal_errors(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import dutysplit.api as api
    from dutysplit.cli import main

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(api, "parse_file_dict", boom)
    r = CliRunner().invoke(main, ["parse", str(SAMPLES[0]), "-j", "1"])
    assert r.exit_code == 1 and r.stderr == f"dutysplit: error: {SAMPLES[0]}: internal error: RuntimeError: kaboom\n"
    r = CliRunner().invoke(main, ["parse", str(SAMPLES[0]), "-j", "1", "--debug"])
    assert isinstance(r.exception, RuntimeError)


def test_a_bug_outside_the_per_input_guard_is_one_line(monkeypatch):
    """Planning a batch is not inside the per-input guard: a bug there was a traceback."""
    from click.testing import CliRunner

    from dutysplit import batch
    from dutysplit.cli import main

    def boom(*a, **k):
        raise ValueError("kaboom")

    monkeypatch.setattr(batch, "plan", boom)
    r = CliRunner().invoke(main, ["parse", str(SAMPLES[0])])
    assert r.exit_code == 1 and r.stderr == "dutysplit: error: parse: internal error: ValueError: kaboom\n"
    r = CliRunner().invoke(main, ["parse", str(SAMPLES[0]), "--debug"])
    assert isinstance(r.exception, ValueError)


def test_two_inputs_with_one_output_path_do_not_overwrite_each_other(tmp_path):
    for d in ("c1", "c2"):
        (tmp_path / d / "a").mkdir(parents=True)
        (tmp_path / d / "a" / "x.txt").write_bytes(SAMPLES[0].read_bytes())
    # two directories: each mirrored under its own name
    r = cli("parse", tmp_path / "c1", tmp_path / "c2", "-d", tmp_path / "o1")
    assert r.returncode == 0 and sorted(p.relative_to(tmp_path / "o1").as_posix() for p in (tmp_path / "o1").rglob("*.json")) == [
        "c1/a/x.json", "c2/a/x.json"]
    # two files of one name: the second fails instead of overwriting the first
    r = cli("parse", tmp_path / "c1/a/x.txt", tmp_path / "c2/a/x.txt", "-d", tmp_path / "o2")
    assert r.returncode == 1 and "is already the output of" in r.stderr
    assert len(list((tmp_path / "o2").rglob("*.json"))) == 1


def test_one_document_in_several_formats_keeps_each_output(tmp_path):
    """An office keeps `x.docx` and `x.pdf` of one document side by side: with --output-dir each gets its
    own output (`x.docx.json`, `x.pdf.json`), where the second failed as a collision; a lone file keeps
    the short name."""
    from tests.docmake import docx, html

    text = SAMPLES[1].read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.docx").write_bytes(docx.from_text(text))
    (tmp_path / "in" / "x.html").write_bytes(html.from_text(text))
    (tmp_path / "in" / "y.txt").write_bytes(SAMPLES[0].read_bytes())
    r = cli("parse", tmp_path / "in", "-d", tmp_path / "out", "-q")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["x.docx.json", "x.html.json", "y.json"]


def test_error_record_has_source_path_like_documents(tmp_path):
    r = cli("parse", SAMPLES[0], tmp_path / "missing.txt", "-f", "jsonl")
    assert [json.loads(line)["source"]["path"] for line in r.stdout.splitlines()] == [str(SAMPLES[0]), str(tmp_path / "missing.txt")]


def test_option_conflicts_are_usage_errors(tmp_path):
    assert cli("parse", SAMPLES[0], "--excel", "-f", "json").returncode == 2
    r = cli("parse", SAMPLES[0], "--encoding", "nonsense")
    assert r.returncode == 2 and "unknown encoding" in r.stderr
    r = cli("parse", SAMPLES[0], "--aliases", tmp_path / "none.tsv")
    assert r.returncode == 2 and "no such file" in r.stderr


# ---------------------------------------------------------------------------------------------------
# issue 10, item 4: a dead worker, directory walks, streams, odd paths


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_killed_worker_fails_its_file_and_the_rest_complete(tmp_path):
    """SIGKILL (what the out-of-memory killer sends) to the worker parsing the one big input: that
    input gets an error line, the others are written, the summary says so, exit 1, nothing left over."""
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "a_big.txt"
    big.write_bytes(b"\n".join(p.read_bytes() for p in SAMPLES) * 150)  # 9 MB: several seconds to parse
    small = [folder / f"b{i:02d}.txt" for i in range(12)]
    for i, p in enumerate(small):
        p.write_bytes(SAMPLES[i % len(SAMPLES)].read_bytes())
    out = tmp_path / "out"
    proc = subprocess.Popen([*CLI, "parse", str(folder), "-d", str(out), "-j", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.json"))) < len(small) and time.monotonic() < deadline:
        time.sleep(0.05)
    # the small inputs are done: the busy worker is the one with the big input
    workers = _children(proc.pid)
    assert len(workers) == 2, workers
    before = {w: _cpu_ticks(w) for w in workers}
    time.sleep(0.5)
    busy = max(workers, key=lambda w: _cpu_ticks(w) - before[w])
    os.kill(busy, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert not_warnings(stderr) == [f"dutysplit: error: {big}: worker process died (killed by SIGKILL: out of memory?)",
                                    f"dutysplit: {len(small)} written, 0 skipped, 1 failed"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.with_suffix(".json").name for p in small)
    assert "Traceback" not in stderr


def test_a_dead_worker_becomes_an_error_record(monkeypatch):
    """The same in-process, through the pool (fork: the workers run the patched function); in a JSON
    Lines stream the dead input is an error record in its place."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("needs the fork start method")
    from dutysplit import batch

    real = batch.work

    def die_on_the_second(job, *a, **k):
        if job.path == str(SAMPLES[1]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job, *a, **k)

    monkeypatch.setattr(batch, "work", die_on_the_second)
    jobs = batch.plan([str(p) for p in SAMPLES])
    results = list(batch.run(jobs, batch.Options(fmt="jsonl"), workers=2))
    assert [r.job.path for r in results] == [str(p) for p in SAMPLES]
    assert [r.error for r in results] == [None, "worker process died (killed by SIGKILL: out of memory?)",
                                          None, None, None]
    assert all(json.loads(r.text)["source"]["path"] == r.job.path for r in results if not r.error)


def test_the_walk_matches_the_glob_ignoring_case_and_takes_regular_files_only(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "A.TXT").write_bytes(SAMPLES[0].read_bytes())
    (tmp_path / "sub" / "b.Txt").write_bytes(SAMPLES[1].read_bytes())
    (tmp_path / "c.txt").write_bytes(SAMPLES[2].read_bytes())
    (tmp_path / "d.md").write_bytes(SAMPLES[3].read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait forever
    (tmp_path / "link.txt").symlink_to(tmp_path / "c.txt")  # a link to a regular file is one
    r = cli("parse", tmp_path, "-f", "jsonl", "-q", timeout=60)
    assert r.returncode == 0, r.stderr
    paths = [json.loads(line)["source"]["path"] for line in r.stdout.splitlines()]
    assert paths == [str(tmp_path / n) for n in ("A.TXT", "c.txt", "link.txt", "sub/b.Txt")]


def test_an_unreadable_subdirectory_is_reported(tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_bytes(SAMPLES[0].read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_bytes(SAMPLES[1].read_bytes())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            # root reads any directory: make scandir fail for this one as it fails for a user
            patch = (f"import os\n_real = os.scandir\n"
                     f"def _scandir(p='.'):\n"
                     f"    if os.fspath(p) == {str(locked)!r}:\n"
                     f"        raise PermissionError(13, 'Permission denied', os.fspath(p))\n"
                     f"    return _real(p)\nos.scandir = _scandir\n")
            cmd = [sys.executable, "-c", patch + "from dutysplit.cli import main\nmain(prog_name='dutysplit')"]
        else:
            cmd = CLI
        r = subprocess.run([*cmd, "parse", str(tmp_path), "-f", "jsonl", "-q"], capture_output=True, text=True,
                           cwd=ROOT, timeout=60)
    finally:
        locked.chmod(0o700)
    assert r.returncode == 1
    assert r.stderr == f"dutysplit: error: {locked}: cannot read directory: permission denied\n"
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["source"]["path"] for d in records] == [str(locked), str(tmp_path / "ok" / "a.txt")]
    assert "error" in records[0] and "error" not in records[1]


def test_an_explicit_fifo_is_read_as_a_stream(tmp_path):
    """`dutysplit parse <(cmd)`: the same data as the file, also among other inputs and with workers."""
    want = json.loads(cli("parse", SAMPLES[0]).stdout)
    sha = want.pop("source")["sha256"]
    for extra in ([], [str(SAMPLES[1]), "-j", "2", "-f", "jsonl"]):
        script = f'{sys.executable} -m dutysplit parse <(cat "{SAMPLES[0]}") {" ".join(extra)} -q'
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 0, r.stderr
        got = json.loads(r.stdout.splitlines()[0])
        assert got["source"]["path"].startswith("/dev/fd/")
        assert got.pop("source")["sha256"] == sha
        assert got == want


def test_a_path_with_a_newline_keeps_its_error_on_one_line(tmp_path):
    bad = tmp_path / "two\nlines.txt"
    bad.write_bytes(b"\x00binary")
    r = cli("parse", bad, SAMPLES[0], "-q", "-f", "jsonl")
    assert r.returncode == 1
    shown = str(tmp_path) + "/two\\nlines.txt"
    assert r.stderr == f"dutysplit: error: {shown}: binary file (contains NUL bytes)\n"
    assert json.loads(r.stdout.splitlines()[0])["source"]["path"] == str(bad)  # the data keeps the real path
