"""Batch conversion: expand inputs, parse them (in parallel, output kept in input order), render, and
write outputs atomically. The CLI is a thin shell over :func:`plan` and :func:`run`."""
from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass

from .errors import InputError

EXTENSIONS = {"json": ".json", "jsonl": ".json", "yaml": ".yaml", "tsv": ".tsv", "csv": ".csv", "xlsx": ".xlsx"}
TMP_PREFIX = ".dutysplit-tmp-"


@dataclass(frozen=True, slots=True)
class Job:
    path: str  # as given or found ("-" for stdin)
    rel: str  # path relative to the directory it was found in (for --output-dir mirroring)


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


def plan(paths: list[str], pattern: str = "*.txt") -> list[Job]:
    """Expand directories (recursively, files matching ``pattern``, sorted); keep other paths as given.

    A job's ``rel`` is where its output goes under --output-dir: the path inside the directory it was
    found in, prefixed with that directory's name when several directories are given."""
    jobs: list[Job] = []
    several_dirs = sum(1 for p in paths if p != "-" and os.path.isdir(p)) > 1
    for p in paths:
        if p != "-" and os.path.isdir(p):
            prefix = os.path.basename(os.path.normpath(p)) if several_dirs else ""
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    if fnmatch.fnmatch(f, pattern) and not f.startswith(TMP_PREFIX):
                        full = os.path.join(root, f)
                        found.append(Job(full, os.path.join(prefix, os.path.relpath(full, p))))
            jobs.extend(sorted(found, key=lambda j: j.rel))
        else:
            jobs.append(Job(p, os.path.basename(p) if p != "-" else "stdin"))
    return jobs


def output_path(job: Job, opts: Options) -> str:
    base, _ = os.path.splitext(job.rel)
    return os.path.join(opts.output_dir, base + EXTENSIONS[opts.fmt])


def parse_job(job: Job, opts: Options, stdin: bytes | None = None) -> dict:
    from .api import parse_bytes_dict, parse_file_dict

    if job.path == "-":
        data = stdin if stdin is not None else sys.stdin.buffer.read(opts.max_bytes + 1)
        if len(data) > opts.max_bytes:
            raise InputError(f"input is over the limit of {opts.max_bytes} bytes (--max-bytes)")
        return parse_bytes_dict(data, source="-", encoding=opts.encoding, layout=opts.layout, aliases=opts.aliases)
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


def write_atomic(path: str, text: str, *, bom: bool = False) -> None:
    """Write ``path`` so that it either exists whole or not at all (temporary file + rename)."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f"{TMP_PREFIX}{os.getpid()}-{os.path.basename(path)}")
    # the rename happens only after the whole text is written, so a killed run never leaves a partial
    # output; no fsync: durability across a power cut is not worth a disk flush per document
    with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


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
         inputs: frozenset[str] = frozenset(), debug: bool = False, clash: str | None = None) -> Result:
    """Parse one input and render (or write) it. Never raises except with ``debug``."""
    res = Result(job)
    if clash:
        res.error = clash
        return res
    target = output_path(job, opts) if opts.output_dir else None
    if target and opts.skip_existing and os.path.exists(target):
        res.skipped = True
        return res
    if target and os.path.realpath(target) in inputs:
        res.error = f"output {target} would overwrite an input"
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
            res.error = f"cannot write {target}: {e.strerror or e}"
            return res
        res.written = target
    else:
        res.text = render(doc, opts, header=False, several=several)
    return res


def _work_star(args) -> Result:
    job, opts, first, several, inputs, debug, clash = args
    return work(job, opts, first=first, several=several, inputs=inputs, debug=debug, clash=clash)


def run(jobs: list[Job], opts: Options, *, workers: int = 1, stdin: bytes | None = None, debug: bool = False):
    """Yield a Result per job, in input order."""
    several = len(jobs) > 1
    inputs = frozenset(os.path.realpath(j.path) for j in jobs if j.path != "-")
    if opts.output_dir:
        clean_stale_temporaries(opts.output_dir)
    clashes = collisions(jobs, opts)
    if workers <= 1 or len(jobs) <= 1 or any(j.path == "-" for j in jobs):
        for n, job in enumerate(jobs):
            yield work(job, opts, first=n == 0, several=several, stdin=stdin, inputs=inputs, debug=debug,
                       clash=clashes.get(n))
        return
    from concurrent.futures import ProcessPoolExecutor

    args = [(job, opts, n == 0, several, inputs, debug, clashes.get(n)) for n, job in enumerate(jobs)]
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_work_star, args, chunksize=chunk)
