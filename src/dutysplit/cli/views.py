"""``diff`` and ``show``: documents for people."""
from __future__ import annotations

import os
import sys

import click

from ..errors import EXIT_FAILED, EXIT_OK
from . import (
    _aliases,
    _check_encoding,
    _error,
    _internal_error,
    _write_stdout,
    debug_option,
    main,
)


def _load_for_view(paths, encoding, aliases, debug) -> list[dict]:
    """Parse the inputs of `diff` / `show`; an input that fails: one error line, exit 1."""
    from .. import batch

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
@debug_option
def diff_command(old, new, fmt, output, min_score, pretty, width, aliases_file, encoding, debug):
    """What changed from OLD (e.g. last year's list) to NEW: tasks added, removed, reworded, given to
    another lead unit or other units, and each unit's lead/support task counts before and after.

    Tasks are matched one to one by their text (numbers masked), units and section. Exit status: 0 the
    report was made, 1 an input failed, 2 usage error.
    """
    import json

    from .. import diff

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
                from ..batch import write_atomic

                write_atomic(output, text)
            else:
                _write_stdout(text)
        elif output:
            import io

            from rich.console import Console

            from ..batch import write_atomic

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
@debug_option
def show_command(file, unit, width, aliases_file, encoding, debug):
    """Show FILE for people: sections, tasks with their lead unit highlighted, deadlines, targets and
    warnings in colour. Exit status: 0 shown, 1 the input failed or no task of --unit, 2 usage error."""
    from .. import show

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
