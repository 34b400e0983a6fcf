"""``parse`` and ``units``: documents in, data out."""
from __future__ import annotations

import os
import sys

import click

from ..errors import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_OUTPUT,
)
from ..read.detect import DOCUMENTS
from . import (
    FORMATS,
    _aliases,
    _check_encoding,
    _error,
    _layout,
    _Out,
    _progress,
    _warn,
    debug_option,
    main,
)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json (default): the whole document (JSON Lines for several inputs); jsonl: one document "
                   "per line; yaml: the same structure; tsv/csv: one row per task (--per); xlsx: the Excel "
                   "ledger (任务台账, 按单位, 需核对, 文件信息); sqlite: append to a database (-o FILE.db). "
                   "Default: from the -o extension, else json.")
@click.option("--pretty", is_flag=True, help="Indent JSON output (one input).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="Write everything to this file (atomically) instead of standard output.")
@click.option("-d", "--output-dir", type=click.Path(file_okay=False),
              help="Write one file per input here, mirroring the inputs' relative paths.")
@click.option("--skip-existing", is_flag=True, help="With --output-dir: leave inputs whose output exists.")
@click.option("--glob", "pattern", default=DOCUMENTS, show_default=True,
              help="Files to take from directories (globs separated by commas).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: all cores). Output stays in input order.")
@click.option("--excel", is_flag=True, help="CSV with a byte-order mark so that Excel opens it right (implies -f csv).")
@click.option("--columns", "lang", type=click.Choice(("en", "zh")), default=None,
              help="csv/tsv headers: en (default, snake_case) or zh (Chinese, names joined by 、, checks in words).")
@click.option("--per", type=click.Choice(("task", "clause")), default=None,
              help="csv/tsv rows: task (default: one per task) or clause (the first seven columns are the gold shape).")
@click.option("--encoding", default=None, help="Force an input encoding (default: detect).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50 * 1024 * 1024, show_default=True,
              help="Refuse inputs larger than this.")
@click.option("--layout", default="auto", show_default=True, callback=lambda ctx, p, v: _layout(v),
              help="Which layout families (rules) are read: auto (all), lines (no inline brackets, no tables), "
                   "inline (no tables), table (tables only), or a comma list of rule names, each optionally "
                   "prefixed with - or + (README: Layout families).")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False),
              help="Unit aliases to add or override (TSV `alias<TAB>canonical`, or YAML; docs/aliases.md).")
@click.option("--strict", is_flag=True, help="Exit 1 when any document has warnings.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
@debug_option
def parse(files, fmt, pretty, output, output_dir, skip_existing, pattern, jobs, excel, lang, per, encoding,
          max_bytes, layout, aliases_file, strict, quiet, debug):
    """Parse FILES (files, directories, or - for standard input).

    Exit status: 0 all parsed; 1 some input failed (or, with --strict, had warnings); 2 usage error
    (also -o naming an input or a device); 3 an output could not be written; 130 interrupted (Ctrl-C).
    """
    from .. import batch, emit

    _check_encoding(encoding)
    output = None if output == "-" else output  # `-o -` is standard output
    if output and output_dir:
        raise click.UsageError("-o/--output and --output-dir exclude each other")
    if skip_existing and not output_dir:
        raise click.UsageError("--skip-existing goes with --output-dir")
    plan = batch.plan(list(files), pattern)
    if not plan:
        raise click.UsageError(f"no input files (directories searched for {pattern!r})")
    _check_output(output, plan)  # before the format: `-o` naming an input is refused whatever its name
    fmt = _choose_format(fmt, output, output_dir, excel, lang, per)
    several = len(plan) > 1
    sink = _sink(fmt, output, output_dir, several, plan)
    opts = batch.Options(fmt="dict" if sink else fmt, pretty=pretty, encoding=encoding, max_bytes=max_bytes,
                         output_dir=output_dir, skip_existing=skip_existing, excel=excel, layout=layout,
                         aliases=_aliases(aliases_file), per=per or "task", lang=lang or "en")
    workers = jobs or os.cpu_count() or 1
    lines_mode = fmt == "jsonl" or (fmt == "json" and several)
    out = _Out(None if sink else output, bom=excel)
    if fmt in ("tsv", "csv") and not output_dir:
        out.write(emit.header(sep="," if fmt == "csv" else "\t", per=opts.per, lang=opts.lang))
    status = EXIT_OK
    done = failed = skipped = 0
    progress = _progress(len(plan), quiet)
    results = batch.run(plan, opts, workers=workers, debug=debug)
    try:
        for res in results:
            if res.error:
                failed += 1
                status = max(status, EXIT_OUTPUT if res.write_failed else EXIT_FAILED)
                _error(res.job.path, res.error)
                if lines_mode and not output_dir:
                    import json

                    record = {"source": {"path": res.job.path}, "error": res.error}  # `.source.path` as in documents
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif res.skipped:
                skipped += 1
            else:
                done += 1
                _report_warnings(res, quiet)
                if strict and res.warnings:
                    _error(res.job.path, f"{res.warnings} warning{'s' if res.warnings != 1 else ''} (--strict)")
                    status = max(status, EXIT_FAILED)
                if res.text is not None:
                    out.write(res.text)
                elif sink and res.doc is not None:
                    sink.add(res.doc)
            if progress:
                progress.advance()
        if sink:
            note = sink.close()
            if note and not quiet:
                click.echo(f"dutysplit: {note}", err=True)
    except emit.OutputError as e:
        sink.abort()
        _error(e.path, e.reason)
        sys.exit(e.exit_code)
    except BaseException:
        if sink:
            sink.abort()
        raise
    finally:
        results.close()  # on Ctrl-C: the workers are stopped and their temporary files removed, now
        if progress:
            progress.stop()
    status = max(status, out.close())
    if output_dir and not quiet:
        click.echo(f"dutysplit: {done} written, {skipped} skipped, {failed} failed", err=True)
    sys.exit(status)


def _choose_format(fmt, output, output_dir, excel, lang, per) -> str:
    from .. import emit

    try:
        fmt = emit.choose_format(fmt, output, excel=excel)
        emit.check_binary_stdout(fmt, output, output_dir)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    if (lang or per) and fmt not in ("csv", "tsv"):
        raise click.UsageError(f"--columns and --per shape csv/tsv tables; they do not go with --format {fmt}")
    return fmt


def _sink(fmt, output, output_dir, several, plan):
    """The writer of xlsx (one workbook) or sqlite (one database): it takes documents, not text."""
    from .. import emit

    if fmt not in emit.SINKS or output_dir:
        return None
    inputs = frozenset(os.path.realpath(j.path) for j in plan if j.path != "-")
    try:
        return emit.open_sink(fmt, output, several=several, inputs=inputs)
    except emit.OutputError as e:
        _error(e.path, e.reason)
        sys.exit(e.exit_code)


def _check_output(output: str | None, plan) -> None:
    """`-o` must not name an input (also through a link) nor an existing device, FIFO or directory."""
    if output:
        from ..batch import check_output
        from ..errors import OutputError

        try:
            check_output(output, plan)
        except OutputError as e:
            _error(e.path, e.reason)
            sys.exit(e.exit_code)


def _report_warnings(res, quiet: bool) -> None:
    if not quiet:
        for line, message in res.notes:
            _warn(res.job.path, line, message)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--unit", "unit", default=None,
              help="Only this unit and its tasks: a name as written or canonical selects it exactly; other text "
                   "finds every unit whose name contains it, then similar names (财政 → 市财政局, 县财政局 …).")
@click.option("--role", type=click.Choice(("lead", "support", "any")), default="any", show_default=True,
              help="lead: tasks the unit leads; support: tasks it takes part in without leading.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json", "csv", "tsv", "xlsx")), default=None,
              help="table (default): rich on a terminal, else tab-separated; json; csv; tsv; xlsx. "
                   "Default: from the -o extension, else table.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help="Write to this file (atomically).")
@click.option("--excel", is_flag=True, help="CSV with a byte-order mark (implies -f csv).")
@click.option("--columns", "lang", type=click.Choice(("en", "zh")), default="en", show_default=True,
              help="Header language of table/csv/tsv.")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False), help="Unit aliases (see parse).")
@click.option("--glob", "pattern", default=DOCUMENTS, show_default=True,
              help="Files to take from directories (globs separated by commas).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel workers.")
@click.option("--encoding", default=None, help="Force an input encoding.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
def units(files, unit, role, fmt, output, excel, lang, aliases_file, pattern, jobs, encoding, quiet):
    """The per-unit index across FILES: what each unit leads and takes part in.

    Units are one per canonical name and place (the 县发改局 of one county is not that of another).
    """
    from ..unitlist import Request, run

    _check_encoding(encoding)
    sys.exit(run(Request(files=files, unit=unit, role=role, fmt=fmt, output=output, excel=excel, lang=lang,
                         aliases=_aliases(aliases_file), pattern=pattern, jobs=jobs, encoding=encoding,
                         quiet=quiet)))
