"""`dutysplit units`: the per-unit index across inputs, filtered by unit and role, in the output formats
of `parse` (a table on a terminal, TSV, CSV, JSON, xlsx). The command function in cli.py only passes its
options here."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass

import click

from .errors import EXIT_FAILED, EXIT_OK

FORMATS = ("table", "json", "csv", "tsv", "xlsx")
ROLES = ("lead", "support", "any")  # support: takes part without leading (责任单位 or 配合单位)
# the columns of the task list on a terminal (all of UNIT_TASK_COLUMNS elsewhere)
SCREEN_KEYS = ("unit", "place", "role", "document", "seq", "task")


@dataclass
class Request:
    files: tuple[str, ...]
    unit: str | None = None
    role: str = "any"
    fmt: str | None = None
    output: str | None = None
    excel: bool = False
    lang: str = "en"
    aliases: dict | None = None
    pattern: str = "*.txt"
    jobs: int | None = None
    encoding: str | None = None
    quiet: bool = False


def run(req: Request) -> int:
    from . import batch, emit, index

    try:
        fmt = emit.choose_format(req.fmt, req.output, excel=req.excel, default="table", choices=FORMATS)
        if fmt == "xlsx":
            emit.check_binary_stdout(fmt, req.output)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    plan = batch.plan(list(req.files), req.pattern)
    if not plan:
        raise click.UsageError(f"no input files (directories searched for {req.pattern!r})")
    inputs = frozenset(os.path.realpath(j.path) for j in plan if j.path != "-")
    if req.output and os.path.realpath(req.output) in inputs:
        _error(req.output, "is an input; not overwritten")
        return EXIT_FAILED
    opts = batch.Options(fmt="dict", encoding=req.encoding, aliases=req.aliases)
    rows, status = [], EXIT_OK
    for n, res in enumerate(batch.run(plan, opts, workers=req.jobs or os.cpu_count() or 1)):
        if res.error:
            _error(res.job.path, res.error)
            status = EXIT_FAILED
        else:
            rows.extend(index.rows_of(res.doc, n))  # rows, not documents, are kept
    rows = [r for r in rows if _role_ok(r["role"], req.role)]
    entries = index.group(rows)
    if req.unit:
        entries, how = index.find(entries, req.unit, req.aliases)
        if not entries:
            with_role = f" with --role {req.role}" if req.role != "any" else ""
            click.echo(f"dutysplit: no unit {req.unit!r}{with_role} in these documents", err=True)
            return EXIT_FAILED
        if how != "exact" and not req.quiet:
            shown = "、".join(f"{e.unit}({e.place})" if e.place else e.unit for e in entries[:10])
            more = f" and {len(entries) - 10} more" if len(entries) > 10 else ""
            click.echo(f"dutysplit: --unit {req.unit!r} matches {len(entries)} units: {shown}{more}", err=True)
    try:
        _write(fmt, req, entries, by_unit=bool(req.unit))
    except OSError as e:
        _error(req.output or "-", f"cannot write: {e.strerror or e}")
        return EXIT_FAILED
    return status


def _role_ok(role: str, wanted: str) -> bool:
    return wanted == "any" or (role == "lead") == (wanted == "lead")


def _write(fmt: str, req: Request, entries, *, by_unit: bool) -> None:
    from .emit.rows import UNIT_SUMMARY_COLUMNS, UNIT_TASK_COLUMNS, cell, text_cell

    task_rows = [r for e in entries for r in e.rows()]
    if fmt == "xlsx":
        _write_xlsx(req.output, entries, task_rows)
        return
    if fmt == "json":
        _emit(req, json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt in ("csv", "tsv") or by_unit:
        columns, rows = UNIT_TASK_COLUMNS, task_rows
    else:
        columns, rows = UNIT_SUMMARY_COLUMNS, [e.summary() for e in entries]
    if fmt == "table" and not req.output and sys.stdout.isatty():
        if by_unit:
            columns = tuple(c for c in columns if c.key in SCREEN_KEYS)
        _screen(columns, rows, req.lang)
        return
    from .emit.table import format_rows

    head = tuple(c.zh if req.lang == "zh" else c.key for c in columns)
    body = (tuple(text_cell(cell(c, r.get(c.key), req.lang)) for c in columns) for r in rows)
    _emit(req, format_rows([head, *body], "," if fmt == "csv" else "\t"))


def _screen(columns, rows, lang: str) -> None:
    """A rich table that fits the terminal: cells wrap and long names fold onto the next line, never cut."""
    from rich.console import Console
    from rich.table import Table

    from .emit.rows import cell, text_cell

    t = Table()
    for c in columns:
        t.add_column(c.zh if lang == "zh" else c.key, overflow="fold", no_wrap=False)
    for r in rows:
        if r.get("document"):
            r = {**r, "document": os.path.basename(r["document"])}  # on a screen the file name will do
        t.add_row(*(text_cell(cell(c, r.get(c.key), lang)) for c in columns))
    Console().print(t)


def _write_xlsx(path: str | None, entries, task_rows) -> None:
    from .emit.xlsx import UnitsWorkbook

    book = UnitsWorkbook()
    for e in entries:
        book.summary.add(e.summary())
    for r in task_rows:
        book.rows.add(r)
    if path:
        from .emit.atomic import replacing

        with replacing(path) as tmp:
            book.save(tmp)
    else:
        import io

        buf = io.BytesIO()
        book.save(buf)
        sys.stdout.buffer.write(buf.getvalue())
        sys.stdout.flush()


def _emit(req: Request, text: str) -> None:
    if req.output:
        from .batch import write_atomic

        write_atomic(req.output, text, bom=req.excel)
    else:
        from .cli import _write_stdout

        _write_stdout(("\ufeff" if req.excel else "") + text)


def _error(path: str, reason: str) -> None:
    click.echo(f"dutysplit: error: {path}: {reason}", err=True)
