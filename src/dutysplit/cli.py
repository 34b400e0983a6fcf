"""The command line: a thin shell over the library. Imports only what a command needs."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, show_path

FORMATS = ("json", "jsonl", "yaml", "tsv", "csv", "xlsx", "sqlite")  # emit.FORMATS, without importing emit
LAYOUTS = ("auto", "lines", "inline", "table")


def _error(path: str, reason: str) -> None:
    click.echo(f"dutysplit: error: {show_path(path)}: {show_path(reason)}", err=True)


def _warn(path: str, line: int | None, message: str) -> None:
    """One warning diagnostic: `dutysplit: warning: FILE: line N: message` (no `line N:` without a line)."""
    where = f"line {line}: " if line is not None else ""
    click.echo(f"dutysplit: warning: {show_path(path)}: {where}{show_path(message)}", err=True)


class _Group(click.Group):
    """Ctrl-C anywhere in a command: exit 130 (as shells report SIGINT), not click's `Aborted!` and 1.
    Temporary files are removed on the way out by whoever made them (write_atomic, the worker pool)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _quiet_stdout()
            click.echo("dutysplit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutysplit")
def main() -> None:
    """Turn Chinese government task-decomposition documents (责任分解, 任务分工方案) into data."""


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
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Files to take from directories.")
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
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def parse(files, fmt, pretty, output, output_dir, skip_existing, pattern, jobs, excel, lang, per, encoding,
          max_bytes, layout, aliases_file, strict, quiet, debug):
    """Parse FILES (files, directories, or - for standard input).

    Exit status: 0 all parsed; 1 some input failed (or, with --strict, had warnings); 2 usage error
    (also -o naming an input or a device); 3 an output could not be written; 130 interrupted (Ctrl-C).
    """
    from . import batch, emit

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
    from . import emit

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
    from . import emit

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
        from .batch import check_output
        from .errors import OutputError

        try:
            check_output(output, plan)
        except OutputError as e:
            _error(e.path, e.reason)
            sys.exit(e.exit_code)


def _report_warnings(res, quiet: bool) -> None:
    if not quiet:
        for line, message in res.notes:
            _warn(res.job.path, line, message)


def _aliases(path: str | None) -> dict | None:
    if not path:
        return None
    from .units import load_aliases

    try:
        return load_aliases(path)
    except FileNotFoundError:
        raise click.BadParameter(f"{path}: no such file", param_hint="--aliases") from None
    except OSError as e:
        raise click.BadParameter(f"{path}: {e.strerror or e}", param_hint="--aliases") from None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--aliases") from None


def _layout(value: str) -> str:
    from .rules import select

    try:
        select(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--layout") from None
    return value


def _check_encoding(encoding: str | None) -> None:
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None


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
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Files to take from directories.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel workers.")
@click.option("--encoding", default=None, help="Force an input encoding.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
def units(files, unit, role, fmt, output, excel, lang, aliases_file, pattern, jobs, encoding, quiet):
    """The per-unit index across FILES: what each unit leads and takes part in.

    Units are one per canonical name and place (the 县发改局 of one county is not that of another).
    """
    from .unitlist import Request, run

    _check_encoding(encoding)
    sys.exit(run(Request(files=files, unit=unit, role=role, fmt=fmt, output=output, excel=excel, lang=lang,
                         aliases=_aliases(aliases_file), pattern=pattern, jobs=jobs, encoding=encoding,
                         quiet=quiet)))


class _Out:
    """Standard output (a closed pipe ends the run quietly) or a file written atomically at the end
    (`-o -` is standard output)."""

    def __init__(self, path: str | None, bom: bool = False):
        self.path = path if path != "-" else None
        self.bom = bom
        self.parts: list[str] = []
        if not self.path and bom:
            _write_stdout("\ufeff")

    def write(self, text: str) -> None:
        if self.path:
            self.parts.append(text)
        else:
            _write_stdout(text)

    def close(self) -> int:
        """Write the file (if any); the exit status: 0, or 3 with one error line when it failed."""
        if self.path:
            from .batch import write_atomic

            try:
                write_atomic(self.path, "".join(self.parts), bom=self.bom)
            except OSError as e:
                _error(self.path, f"cannot write: {e.strerror or e}")
                return EXIT_OUTPUT
        return EXIT_OK


class _progress:
    """A rich progress bar on stderr, only when stderr is a terminal and there is more than one input."""

    def __new__(cls, total: int, quiet: bool):
        if quiet or total < 2 or not sys.stderr.isatty():
            return None
        return super().__new__(cls)

    def __init__(self, total: int, quiet: bool):
        from rich.console import Console
        from rich.progress import Progress

        # rich redirects sys.stdout into its console by default: our data would go to the terminal on
        # stderr instead of the file or pipe on stdout. Only stderr is ours to draw on.
        self.bar = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False)
        self.task = self.bar.add_task("parsing", total=total)
        self.bar.start()

    def advance(self) -> None:
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output document."""
    import json

    from .models import json_schema

    _write_stdout(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `dutysplit parse … | head`: the reader has gone; end quietly
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except OSError as e:  # disk full under `> file`, an I/O error: one line, no traceback
        _quiet_stdout()
        _error("-", f"cannot write standard output: {e.strerror or e}")
        sys.exit(EXIT_OUTPUT)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit neither fails nor writes again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _load_for_view(paths, encoding, aliases, debug) -> list[dict]:
    """Parse the inputs of `diff` / `show`; an input that fails: one error line, exit 1."""
    from . import batch

    docs = []
    for path in paths:
        res = batch.work(batch.Job(path, os.path.basename(path)), batch.Options(fmt="dict", encoding=encoding,
                                                                               aliases=aliases), debug=debug)
        if res.error:
            _error(path, res.error)
            sys.exit(EXIT_FAILED)
        docs.append(res.doc)
    return docs


def _console(width: int | None):
    from rich.console import Console

    console = Console(width=width, soft_wrap=False, highlight=False, emoji=False)

    def closed_pipe() -> None:  # `dutysplit show … | head`: end quietly, as parse does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)

    console.on_broken_pipe = closed_pipe
    return console


def _internal_error(what: str, e: Exception, debug: bool) -> None:
    if debug:
        raise e
    _error(what, f"internal error: {type(e).__name__}: {e}")
    sys.exit(EXIT_FAILED)


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json", "xlsx")), default=None,
              help="text: a view for people (the default on a terminal); json: the report (the default "
                   "otherwise; schemas/diff.schema.json); xlsx: a workbook (with -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None,
              help="Pairs scoring under this are not matched (default 50; lower finds more reworded tasks "
                   "and more wrong pairs).")
@click.option("--pretty", is_flag=True, help="Indent the JSON.")
@click.option("--width", type=click.IntRange(min=20), default=None, help="text: wrap at this width.")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False), help="Unit aliases (see parse).")
@click.option("--encoding", default=None, help="Force an input encoding.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def diff_command(old, new, fmt, output, min_score, pretty, width, aliases_file, encoding, debug):
    """What changed from OLD (e.g. last year's list) to NEW: tasks added, removed, reworded, given to
    another lead unit or other units, and each unit's lead/support task counts before and after.

    Tasks are matched one to one by their text (numbers masked), units and section. Exit status: 0 the
    report was made, 1 an input failed, 2 usage error.
    """
    import json

    from . import diff

    _check_encoding(encoding)
    if fmt == "xlsx" and not output:
        raise click.UsageError("-f xlsx writes a workbook: give it a file with -o")
    old_doc, new_doc = _load_for_view((old, new), encoding, _aliases(aliases_file), debug)
    try:
        report = diff.compare(old_doc, new_doc, diff.MIN_SCORE if min_score is None else min_score)
    except Exception as e:  # noqa: BLE001 - a bug: one line, no traceback without --debug
        _internal_error(new, e, debug)
    fmt = fmt or ("text" if sys.stdout.isatty() and not output else "json")
    try:
        if fmt == "xlsx":
            diff.write_xlsx(report, output)
        elif fmt == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2 if pretty else None) + "\n"
            if output:
                from .batch import write_atomic

                write_atomic(output, text)
            else:
                _write_stdout(text)
        elif output:
            import io

            from rich.console import Console

            from .batch import write_atomic

            buf = io.StringIO()
            diff.render(report, Console(file=buf, width=width or 100, highlight=False, emoji=False))
            write_atomic(output, buf.getvalue())
        else:
            diff.render(report, _console(width))
    except BrokenPipeError:
        _write_stdout("")
    except OSError as e:
        _error(output or "-", f"cannot write: {e.strerror or e}")
        sys.exit(EXIT_FAILED)
    except Exception as e:  # noqa: BLE001
        _internal_error(new, e, debug)
    sys.exit(EXIT_OK)


@main.command("show")
@click.argument("file")
@click.option("--unit", default=None, help="Only this unit's tasks (its name as written or canonical).")
@click.option("--width", type=click.IntRange(min=20), default=None, help="Wrap at this width (default: the "
              "terminal's).")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False), help="Unit aliases (see parse).")
@click.option("--encoding", default=None, help="Force an input encoding.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def show_command(file, unit, width, aliases_file, encoding, debug):
    """Show FILE for people: sections, tasks with their lead unit highlighted, deadlines, targets and
    warnings in colour. Exit status: 0 shown, 1 the input failed or no task of --unit, 2 usage error."""
    from . import show

    _check_encoding(encoding)
    aliases = _aliases(aliases_file)
    (doc,) = _load_for_view((file,), encoding, aliases, debug)
    try:
        shown = show.render(doc, _console(width), unit=unit, aliases=aliases)
    except BrokenPipeError:
        _write_stdout("")
        shown = 1
    except Exception as e:  # noqa: BLE001 - a bug: one line, no traceback without --debug
        _internal_error(file, e, debug)
    if unit and not shown:
        click.echo(f"dutysplit: no task of unit {unit!r} in {file}", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["main", "EXIT_USAGE"]
