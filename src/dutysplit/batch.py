"""Batch conversion: expand inputs, parse them (in parallel, output kept in input order), render, and
write outputs atomically. The CLI is a thin shell over :func:`plan` and :func:`run`."""
from __future__ import annotations

import fnmatch
import os
import stat
import sys
from dataclasses import dataclass, field, replace

from .errors import EXIT_USAGE, InputError, OutputError
from .read.detect import DOCUMENTS

EXTENSIONS = {"json": ".json", "jsonl": ".json", "yaml": ".yaml", "tsv": ".tsv", "csv": ".csv", "xlsx": ".xlsx"}
TMP_PREFIX = ".dutysplit-tmp-"


@dataclass(frozen=True, slots=True)
class Job:
    path: str  # as given or found ("-" for stdin)
    rel: str  # path relative to the directory it was found in (for --output-dir mirroring)
    error: str | None = None  # known before reading (a directory of the walk that cannot be read)
    stream: bool = False  # read once, in the main process: "-", or a FIFO / device named as an argument
    keep_ext: bool = False  # --output-dir: the output keeps the input's extension (`x.docx.json`)


@dataclass(frozen=True, slots=True)
class Options:
    fmt: str = "json"
    pretty: bool = False
    encoding: str | None = None
    max_bytes: int = 50 * 1024 * 1024
    output_dir: str | None = None
    skip_existing: bool = False
    excel: bool = False
    layout: str = "auto"
    aliases: dict | None = None  # user unit aliases (--aliases), already loaded
    per: str = "task"  # csv/tsv: one row per task or per clause (--per)
    lang: str = "en"  # csv/tsv headers: en or zh (--columns)


@dataclass(slots=True)
class Result:
    job: Job
    text: str | None = None  # rendered output (stdout mode)
    error: str | None = None
    warnings: int = 0
    skipped: bool = False
    written: str | None = None
    doc: dict | None = None  # with fmt "dict": the document itself, not rendered
    write_failed: bool = False  # the error is about writing the output (exit code 3), not the input
    notes: list = field(default_factory=list)  # (line, message) of each warning diagnostic


def plan(paths: list[str], pattern: str = DOCUMENTS) -> list[Job]:
    """Expand directories (recursively, sorted: regular files whose name matches ``pattern`` — one glob or
    several separated by commas — case ignored, so that `*.txt` takes `A.TXT`); keep other paths as
    given. FIFOs, sockets and devices in a directory are no documents and are passed over (reading one would wait forever); a subdirectory
    that cannot be read becomes a job that fails with the reason. A FIFO or device named as an argument
    (`<(cmd)`, /dev/stdin) is a stream, read once.

    A job's ``rel`` is where its output goes under --output-dir: the path inside the directory it was
    found in, prefixed with that directory's name when several directories are given. Inputs that differ
    only by their extension (`x.docx` and `x.pdf` of one document) keep it in their output's name."""
    jobs: list[Job] = []
    several_dirs = sum(1 for p in paths if p != "-" and os.path.isdir(p)) > 1
    for p in paths:
        if p != "-" and os.path.isdir(p):
            prefix = os.path.basename(os.path.abspath(p)) if several_dirs else ""
            jobs.extend(_walk(p, pattern, prefix))
        else:
            jobs.append(Job(p, os.path.basename(p) if p != "-" else "stdin", stream=_is_stream(p)))
    stems: dict[str, set[str]] = {}
    for job in jobs:
        stem, ext = os.path.splitext(os.path.normcase(job.rel))
        stems.setdefault(stem, set()).add(ext)
    return [replace(job, keep_ext=True) if len(stems[os.path.splitext(os.path.normcase(job.rel))[0]]) > 1 else job
            for job in jobs]


def _is_stream(path: str) -> bool:
    if path == "-":
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _walk(top: str, pattern: str, prefix: str) -> list[Job]:
    patterns = [p.strip().lower() for p in pattern.split(",") if p.strip()]
    found: list[Job] = []

    def unreadable(e: OSError) -> None:
        where = e.filename if isinstance(e.filename, str) else top
        reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
        found.append(Job(where, os.path.join(prefix, os.path.relpath(where, top)),
                         error=f"cannot read directory: {reason}"))

    for root, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.startswith(TMP_PREFIX) or not any(fnmatch.fnmatchcase(f.lower(), p) for p in patterns):
                continue
            full = os.path.join(root, f)
            try:
                if not stat.S_ISREG(os.stat(full).st_mode):
                    continue  # a FIFO, socket or device: no document (and a FIFO would block the walk)
            except OSError:
                pass  # a dangling link: reading it says why
            found.append(Job(full, os.path.join(prefix, os.path.relpath(full, top))))
    return sorted(found, key=lambda j: j.rel)


def output_path(job: Job, opts: Options) -> str:
    base = job.rel if job.keep_ext else os.path.splitext(job.rel)[0]
    return os.path.join(opts.output_dir, base + EXTENSIONS[opts.fmt])


def outside(target: str, folder: str) -> bool:
    """True when ``target`` is not inside ``folder`` (by the paths, symbolic links not followed)."""
    folder, target = os.path.abspath(folder), os.path.abspath(target)
    return os.path.commonpath([folder, target]) != folder or target == folder


def read_stream(job: Job, opts: Options) -> bytes:
    """The bytes of a stream job (standard input, a FIFO), read at most once, bounded by --max-bytes."""
    try:
        if job.path == "-":
            data = sys.stdin.buffer.read(opts.max_bytes + 1)
        else:
            with open(job.path, "rb") as fh:
                data = fh.read(opts.max_bytes + 1)
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    if len(data) > opts.max_bytes:
        raise InputError(f"input is over the limit of {opts.max_bytes} bytes (--max-bytes)")
    return data


def parse_job(job: Job, opts: Options, stdin: bytes | None = None) -> dict:
    from .api import parse_bytes_dict, parse_file_dict

    if job.path == "-" or job.stream:
        data = stdin if stdin is not None else read_stream(job, opts)
        return parse_bytes_dict(data, source=job.path, encoding=opts.encoding, layout=opts.layout,
                                aliases=opts.aliases, max_bytes=opts.max_bytes)
    return parse_file_dict(job.path, encoding=opts.encoding, max_bytes=opts.max_bytes, layout=opts.layout,
                           aliases=opts.aliases)


def render(doc: dict, opts: Options, *, header: bool, several: bool) -> str:
    from . import emit

    fmt = opts.fmt
    if fmt == "json" and not several:
        return emit.to_json(doc, pretty=opts.pretty) + "\n"
    if fmt in ("json", "jsonl"):
        return emit.to_json(doc) + "\n"
    if fmt == "yaml":
        return ("---\n" if several else "") + emit.to_yaml(doc)
    return emit.to_table(doc, sep="," if fmt == "csv" else "\t", header=header, per=opts.per, lang=opts.lang)


def temporary_path(path: str, pid: int | None = None) -> str:
    """The temporary file ``path`` is written to first (by process ``pid``) before the rename."""
    folder = os.path.dirname(path) or "."
    return os.path.join(folder, f"{TMP_PREFIX}{pid or os.getpid()}-{os.path.basename(path)}")


def write_atomic(path: str, text: str, *, bom: bool = False) -> None:
    """Write ``path`` so that it either exists whole or not at all (temporary file + rename). On any
    failure — disk full, permission denied, Ctrl-C — the temporary file is removed and the error raised."""
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = temporary_path(path)
    # the rename happens only after the whole text is written, so a killed run never leaves a partial
    # output; no fsync: durability across a power cut is not worth a disk flush per document
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def check_output(path: str, jobs: list[Job]) -> None:
    """Refuse ``-o PATH`` (OutputError, exit code 2) when PATH is one of the inputs — the same file,
    also through a symbolic or hard link — or exists and is not a regular file (a device, a FIFO, a
    directory): the rename would replace it. A PATH that cannot be looked at (a file as its directory)
    cannot be written: exit code 3, before any parsing. ``-`` is standard output and always fine."""
    if path == "-":
        return
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as e:  # `file/out.json`, a path too long...: it cannot be written (exit code 3)
        raise OutputError(path, f"cannot write: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(path, "exists and is not a regular file: not replaced (-o - writes to standard "
                                "output)", EXIT_USAGE)
    for job in jobs:
        if job.path != "-" and _same_file(st, job.path):
            raise OutputError(path, f"is the input {job.path}: not overwritten", EXIT_USAGE)


def _same_file(st: os.stat_result, other: str) -> bool:
    try:
        o = os.stat(other)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (o.st_dev, o.st_ino)


def clean_stale_temporaries(output_dir: str) -> None:
    """Temporary files of a run that was killed: never whole outputs, remove them."""
    if not os.path.isdir(output_dir):
        return
    for root, _, files in os.walk(output_dir):
        for f in files:
            if f.startswith(TMP_PREFIX):
                try:
                    os.remove(os.path.join(root, f))
                except OSError:
                    pass


def collisions(jobs: list[Job], opts: Options) -> dict[int, str]:
    """Jobs whose --output-dir file an earlier job already writes (`a/x.txt` and `b/x.txt` given as
    files): index → the reason. Such an input fails instead of overwriting the other's output."""
    if not opts.output_dir:
        return {}
    seen: dict[str, str] = {}
    out = {}
    for n, job in enumerate(jobs):
        target = os.path.normcase(os.path.abspath(output_path(job, opts)))
        if target in seen:
            out[n] = f"its output {output_path(job, opts)} is already the output of {seen[target]}"
        else:
            seen[target] = job.path
    return out


def work(job: Job, opts: Options, *, first: bool = True, several: bool = False, stdin: bytes | None = None,
         inputs: frozenset = frozenset(), debug: bool = False, clash: str | None = None) -> Result:
    """Parse one input and render (or write) it. Never raises except with ``debug``. ``inputs``: the
    (device, inode) pairs of every input, never written over."""
    res = Result(job)
    if clash or job.error:
        res.error = clash or job.error
        return res
    target = output_path(job, opts) if opts.output_dir else None
    if target:
        refused = _refuse_target(target, opts.output_dir, inputs)
        if refused:  # like a clash: this input fails (exit 1), its output is not written
            res.error = refused
            return res
        if opts.skip_existing and os.path.exists(target):
            res.skipped = True
            return res
    try:
        doc = parse_job(job, opts, stdin)
    except InputError as e:
        res.error = e.reason
        return res
    except Exception as e:  # noqa: BLE001 - one bad file never stops a batch
        if debug:
            raise
        res.error = f"internal error: {type(e).__name__}: {e}"
        return res
    res.warnings = sum(1 for d in doc["diagnostics"] if d["level"] in ("warning", "error"))
    positions = doc["source"].get("positions") or []

    def where(line):  # a Word/PDF/HTML/Excel line: its place in the file (`t1 r2 c3`), not a bare number
        return positions[line - 1] if isinstance(line, int) and 0 < line <= len(positions) else line

    res.notes = [(where(d["line"]), d["message"]) for d in doc["diagnostics"] if d["level"] in ("warning", "error")]
    if opts.fmt == "dict":
        res.doc = doc
        return res
    if target:
        try:
            if opts.fmt == "xlsx":
                from .emit import write_workbook

                write_workbook(target, doc)
            else:
                write_atomic(target, render(doc, opts, header=True, several=False), bom=opts.excel)
        except OSError as e:
            res.error, res.write_failed = f"cannot write {target}: {e.strerror or e}", True
            return res
        res.written = target
    else:
        res.text = render(doc, opts, header=False, several=several)
    return res


def _refuse_target(target: str, output_dir: str, inputs: frozenset) -> str | None:
    """Why ``target`` (under --output-dir) must not be written, or None."""
    if outside(target, output_dir):
        return f"its output {target} would be outside --output-dir"
    try:
        st = os.stat(target)
    except OSError:
        return None
    if (st.st_dev, st.st_ino) in inputs:
        return f"output {target} would overwrite an input"
    if not stat.S_ISREG(st.st_mode):
        return f"output {target} exists and is not a regular file"
    return None


def _work_star(job, opts, several, inputs, debug, clash, data) -> Result:
    return work(job, opts, several=several, stdin=data, inputs=inputs, debug=debug, clash=clash)


def _identities(jobs: list[Job]) -> frozenset:
    out = set()
    for j in jobs:
        if j.path != "-" and not j.error:
            try:
                st = os.stat(j.path)
            except OSError:
                continue
            out.add((st.st_dev, st.st_ino))
    return frozenset(out)


def _stream_data(job: Job, opts: Options, stdin: bytes | None) -> tuple[bytes | None, str | None]:
    """A stream job's bytes, read here in the main process (a worker cannot read our standard input),
    or the reason it could not be read."""
    if not job.stream or job.error:
        return None, None
    if job.path == "-" and stdin is not None:
        return stdin, None
    try:
        return read_stream(job, opts), None
    except InputError as e:
        return None, e.reason


def run(jobs: list[Job], opts: Options, *, workers: int = 1, stdin: bytes | None = None, debug: bool = False):
    """Yield a Result per job, in input order. A worker process that dies (killed, out of memory) fails
    the input it held, and its temporary file is removed; the other inputs go on."""
    several = len(jobs) > 1
    inputs = _identities(jobs)
    if opts.output_dir:
        clean_stale_temporaries(opts.output_dir)
    clashes = collisions(jobs, opts)

    def args():
        for n, job in enumerate(jobs):
            data, why = _stream_data(job, opts, stdin)
            yield job, opts, several, inputs, debug, clashes.get(n) or why, data

    if workers <= 1 or len(jobs) <= 1:
        for a in args():
            yield _work_star(*a)
        return
    from .pool import Died, imap

    def abandoned(n: int, pid: int) -> None:  # a worker killed while it held jobs[n] (Ctrl-C)
        if opts.output_dir:
            _remove(temporary_path(output_path(jobs[n], opts), pid))

    results = imap(_work_star, args(), workers=min(workers, len(jobs)), on_abandon=abandoned)
    try:
        for job, out in zip(jobs, results):
            if isinstance(out, Died):
                if opts.output_dir:
                    _remove(temporary_path(output_path(job, opts), out.pid))
                out = Result(job, error=out.reason)
            yield out
    finally:
        results.close()  # now, not whenever the generator is collected: the workers stop here


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
