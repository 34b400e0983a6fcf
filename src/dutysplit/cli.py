"""The command line: a thin shell over the library. Imports only what a command needs."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, show_path

FORMATS = ("json", "jsonl", "yaml", "tsv", "csv")
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
                   "per line; yaml: the same structure; tsv/csv: one row per clause.")
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
@click.option("--encoding", default=None, help="Force an input encoding (default: detect).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50 * 1024 * 1024, show_default=True,
              help="Refuse inputs larger than this.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
              help="Force how units are read: lines (no inline brackets, no tables), inline (no tables), "
                   "table (tables only), or auto.")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False),
              help="Unit aliases to add or override (TSV `alias<TAB>canonical`, or YAML; docs/aliases.md).")
@click.option("--strict", is_flag=True, help="Exit 1 when any document has warnings.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def parse(files, fmt, pretty, output, output_dir, skip_existing, pattern, jobs, excel, encoding, max_bytes,
          layout, aliases_file, strict, quiet, debug):
    """Parse FILES (files, directories, or - for standard input).

    Exit status: 0 all parsed; 1 some input failed (or, with --strict, had warnings); 2 usage error
    (also -o naming an input or a device); 3 an output could not be written; 130 interrupted (Ctrl-C).
    """
    from . import batch

    if excel and fmt not in (None, "csv"):
        raise click.UsageError(f"--excel writes CSV; it does not go with --format {fmt}")
    fmt = "csv" if excel else (fmt or "json")
    _check_encoding(encoding)
    if output and output_dir:
        raise click.UsageError("-o/--output and --output-dir exclude each other")
    if skip_existing and not output_dir:
        raise click.UsageError("--skip-existing goes with --output-dir")
    plan = batch.plan(list(files), pattern)
    if not plan:
        raise click.UsageError(f"no input files (directories searched for {pattern!r})")
    _check_output(output, plan)
    opts = batch.Options(fmt=fmt, pretty=pretty, encoding=encoding, max_bytes=max_bytes, output_dir=output_dir,
                         skip_existing=skip_existing, excel=excel, layout=layout, aliases=_aliases(aliases_file))
    workers = jobs or os.cpu_count() or 1
    several = len(plan) > 1
    lines_mode = fmt == "jsonl" or (fmt == "json" and several)
    out = _Out(output, bom=excel)
    if fmt in ("tsv", "csv") and not output_dir:
        from . import emit

        out.write(emit.header(sep="," if fmt == "csv" else "\t"))
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
            if progress:
                progress.advance()
    finally:
        results.close()  # on Ctrl-C: the workers are stopped and their temporary files removed, now
        if progress:
            progress.stop()
    status = max(status, out.close())
    if output_dir and not quiet:
        click.echo(f"dutysplit: {done} written, {skipped} skipped, {failed} failed", err=True)
    sys.exit(status)


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


def _check_encoding(encoding: str | None) -> None:
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--unit", "unit", default=None, help="Only this unit (as written or canonical): its tasks.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table",
              show_default=True, help="table: rich on a terminal, else tab-separated; json; csv.")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False), help="Unit aliases (see parse).")
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Files to take from directories.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel workers.")
@click.option("--encoding", default=None, help="Force an input encoding.")
def units(files, unit, fmt, aliases_file, pattern, jobs, encoding):
    """The per-unit index across FILES: what each unit leads and takes part in.

    Units are one per canonical name and place (the 县发改局 of one county is not that of another).
    """
    import json

    from . import batch, index

    plan = batch.plan(list(files), pattern)
    if not plan:
        raise click.UsageError(f"no input files (directories searched for {pattern!r})")
    aliases = _aliases(aliases_file)
    _check_encoding(encoding)
    opts = batch.Options(fmt="dict", encoding=encoding, aliases=aliases)
    docs, status = [], EXIT_OK
    for res in batch.run(plan, opts, workers=jobs or os.cpu_count() or 1):
        if res.error:
            _error(res.job.path, res.error)
            status = EXIT_FAILED
        else:
            docs.append(res.doc)
    entries = index.build(docs)
    if unit:
        entries = index.select(entries, unit, aliases)
        if not entries:
            click.echo(f"dutysplit: no unit {unit!r} in these documents", err=True)
            sys.exit(EXIT_FAILED)
    if fmt == "json":
        _write_stdout(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2) + "\n")
        sys.exit(status)
    if unit or fmt == "csv":
        head = ("unit", "place", "kind", "role", "document", "year", "part", "section", "item", "text")
        rows = [(e.unit, e.place or "", e.kind, r["role"], r["document"] or "", str(r["year"] or ""), str(r["part"]),
                 r["section"], r["item"], r["text"]) for e in entries for r in e.led + e.joined]
    else:
        head = ("unit", "place", "kind", "led", "joined", "names")
        rows = [(e.unit, e.place or "", e.kind, str(len(e.led)), str(len(e.joined)), "|".join(sorted(e.names)))
                for e in entries]
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(head)
        w.writerows(rows)
        _write_stdout(buf.getvalue())
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        t = Table(*head)
        for row in rows:
            t.add_row(*row)
        Console().print(t)
    else:
        _write_stdout("".join("\t".join(c.replace("\t", " ") for c in row) + "\n" for row in [head, *rows]))
    sys.exit(status)


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


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["main", "EXIT_USAGE"]
