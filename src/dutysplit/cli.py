"""The command line: a thin shell over the library. Imports only what a command needs."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError

FORMATS = ("json", "yaml", "tsv")


def _error(path: str, reason: str) -> None:
    click.echo(f"dutysplit: error: {path}: {reason}", err=True)


def _parse_one(path: str, encoding: str | None, max_bytes: int) -> dict:
    from .api import parse_bytes_dict, parse_file_dict

    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"input is over the limit of {max_bytes} bytes (--max-bytes)")
        return parse_bytes_dict(data, source="-", encoding=encoding)
    return parse_file_dict(path, encoding=encoding, max_bytes=max_bytes)


def _render(doc: dict, fmt: str, pretty: bool) -> str:
    from . import emit

    if fmt == "json":
        return emit.to_json(doc, pretty=pretty) + "\n"
    if fmt == "yaml":
        return emit.to_yaml(doc)
    return emit.to_tsv(doc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutysplit")
def main() -> None:
    """Turn Chinese government task-decomposition documents (责任分解, 任务分工方案) into data."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: the whole document; yaml: the same structure; tsv: one row per clause.")
@click.option("--pretty", is_flag=True, help="Indent JSON output.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@click.option("--encoding", default=None, help="Force an input encoding (default: detect).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50 * 1024 * 1024, show_default=True,
              help="Refuse inputs larger than this.")
@click.option("--strict", is_flag=True, help="Exit 1 when any document has warnings.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def parse(files, fmt, pretty, output, encoding, max_bytes, strict, debug):
    """Parse FILES (or - for standard input) and print the result.

    Exit status: 0 all parsed; 1 some input failed (or, with --strict, had warnings); 2 usage error.
    """
    if output and len(files) > 1:
        raise click.UsageError("-o/--output takes one input")
    status = EXIT_OK
    chunks = []
    for path in files:
        try:
            doc = _parse_one(path, encoding, max_bytes)
        except InputError as e:
            _error(path, e.reason)
            status = EXIT_FAILED
            continue
        except Exception as e:  # noqa: BLE001 - one bad file never stops a batch, nor shows a traceback
            if debug:
                raise
            _error(path, f"internal error: {type(e).__name__}: {e}")
            status = EXIT_FAILED
            continue
        if strict and any(d["level"] in ("warning", "error") for d in doc["diagnostics"]):
            _error(path, "warnings present (--strict)")
            status = EXIT_FAILED
        chunks.append(_render(doc, fmt, pretty))
    text = "".join(chunks)
    if output:
        tmp = f"{output}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, output)
    else:
        _write_stdout(text)
    sys.exit(status)


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
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)


def run() -> None:  # pragma: no cover - console entry point wrapper
    main()


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["main", "EXIT_USAGE"]
