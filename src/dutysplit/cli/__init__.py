"""The command line: a thin shell over the library. Imports only what a command needs.

Here: the group, the output and error helpers every command shares. The commands: :mod:`.commands`
(``parse``, ``units``), :mod:`.views` (``diff``, ``show``); ``schema`` is here."""
from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    show_path,
)

FORMATS = ("json", "jsonl", "yaml", "tsv", "csv", "xlsx", "sqlite")  # emit.FORMATS, without importing emit
LAYOUTS = ("auto", "lines", "inline", "table")


def _error(path: str, reason: str) -> None:
    click.echo(f"dutysplit: error: {show_path(path)}: {show_path(reason)}", err=True)


def _warn(path: str, line: int | str | None, message: str) -> None:
    """One warning diagnostic: `dutysplit: warning: FILE: line N: message` (no `line N:` without a line; a
    place such as `t1 r2 c3` or `page 3 line 4` for Word, HTML, PDF and Excel input)."""
    where = f"line {line}: " if isinstance(line, int) else f"{line}: " if line else ""
    click.echo(f"dutysplit: warning: {show_path(path)}: {where}{show_path(message)}", err=True)


_DEBUG = False  # set by a command's --debug (see debug_option), read by the group's last guard


def _note_debug(ctx, param, value: bool) -> bool:
    global _DEBUG
    _DEBUG = _DEBUG or bool(value)
    return value


debug_option = click.option("--debug", is_flag=True, callback=_note_debug,
                            help="Show a traceback for unexpected errors.")


class _Group(click.Group):
    """Ctrl-C anywhere in a command: exit 130 (as shells report SIGINT), not click's `Aborted!` and 1.
    Temporary files are removed on the way out by whoever made them (write_atomic, the worker pool).
    A bug outside the per-input guard (planning a batch, writing): one line, exit 1, no traceback unless
    ``--debug`` was given."""

    def invoke(self, ctx):
        global _DEBUG
        _DEBUG = False  # one run's --debug (a test runs several commands in one process)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _quiet_stdout()
            click.echo("dutysplit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as e:  # noqa: BLE001 - the last guard: a bug is one line, not a traceback
            if _DEBUG:
                raise
            _error(ctx.invoked_subcommand or "dutysplit", f"internal error: {type(e).__name__}: {e}")
            sys.exit(EXIT_FAILED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutysplit")
def main() -> None:
    """Turn Chinese government task-decomposition documents (责任分解, 任务分工方案) into data."""


def _aliases(path: str | None) -> dict | None:
    if not path:
        return None
    from ..units import load_aliases

    try:
        return load_aliases(path)
    except FileNotFoundError:
        raise click.BadParameter(f"{path}: no such file", param_hint="--aliases") from None
    except OSError as e:
        raise click.BadParameter(f"{path}: {e.strerror or e}", param_hint="--aliases") from None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--aliases") from None


def _layout(value: str) -> str:
    from ..rules import select

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
            from ..batch import write_atomic

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

    from ..models import json_schema

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


def _internal_error(what: str, e: Exception, debug: bool) -> None:
    if debug:
        raise e
    _error(what, f"internal error: {type(e).__name__}: {e}")
    sys.exit(EXIT_FAILED)



from . import commands, views  # noqa: E402,F401  (registers the commands on main)

__all__ = ["main", "EXIT_USAGE"]
