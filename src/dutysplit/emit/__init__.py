"""Stage 7: output formats. Each works on the plain document dict (no pydantic needed); one module per
format, each importing its library only when that format is chosen:

- :mod:`.text`: json, yaml;
- :mod:`.table`: csv, tsv (one row per task or per clause; English or Chinese headers);
- :mod:`.xlsx`: the Excel ledger (openpyxl);
- :mod:`.sqlite`: the database (sqlite3).

:mod:`.rows` defines the rows they share (the task row above all), so that they never disagree.
"""
from __future__ import annotations

import os
import sys

from ..errors import EXIT_USAGE, OutputError  # one error for every output: exit 3, or 2 for a refusal
from .text import to_json, to_yaml

# the table functions load on first use: JSON output (the default) never imports the row machinery
_TABLE = ("TABLE_COLUMNS", "TSV_COLUMNS", "clause_rows", "header", "item_label", "table_rows", "to_table", "to_tsv")


def __getattr__(name: str):
    if name in _TABLE:
        from . import table

        return getattr(table, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

FORMATS = ("json", "jsonl", "yaml", "tsv", "csv", "xlsx", "sqlite")

SINKS = ("xlsx", "sqlite")  # formats that need every document before writing, or a file of their own
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml",
              ".tsv": "tsv", ".csv": "csv", ".xlsx": "xlsx", ".db": "sqlite", ".sqlite": "sqlite",
              ".sqlite3": "sqlite"}
_FAMILY = {"jsonl": "json"}


def choose_format(fmt: str | None, output: str | None, *, excel: bool = False, default: str = "json",
                  choices: tuple[str, ...] = FORMATS) -> str:
    """The format to write: ``--format``, else ``--excel`` (CSV), else the extension of ``-o``, else
    ``default``. Raises ValueError (a usage error) for an ``-o`` name whose extension says nothing and no
    ``--format``, or whose extension names another format than the one asked for."""
    if excel and fmt not in (None, "csv"):
        raise ValueError(f"--excel writes CSV; it does not go with --format {fmt}")
    asked = "csv" if excel else fmt
    if not output:
        return asked or default
    ext = os.path.splitext(output)[1].lower()
    by_ext = EXTENSIONS.get(ext)
    if by_ext is not None and by_ext not in choices:
        by_ext = None
    if asked is None:
        if by_ext is None:
            known = ", ".join(e for e, f in EXTENSIONS.items() if f in choices)
            raise ValueError(f"-o {output}: cannot tell the format from {ext or 'a name without extension'!r}; "
                             f"give --format, or name the file with one of {known}")
        return by_ext
    if by_ext is not None and _FAMILY.get(by_ext, by_ext) != _FAMILY.get(asked, asked):
        raise ValueError(f"-o {output} names a {by_ext} file but the format is {asked}")
    return asked


def check_binary_stdout(fmt: str, output: str | None, output_dir: str | None = None) -> None:
    """xlsx is binary: never onto a terminal; sqlite is a file that grows: only with -o. ValueError if not."""
    if fmt == "sqlite" and not output:
        raise ValueError("--format sqlite writes a database file: give -o FILE.db")
    if fmt == "xlsx" and not output and not output_dir and sys.stdout.isatty():
        raise ValueError("xlsx is a binary file: give -o FILE.xlsx or redirect standard output to a file")


class XlsxSink:
    """Every document into one workbook, written atomically at :meth:`close` (or onto standard output)."""

    def __init__(self, path: str | None, *, several: bool, inputs=frozenset()):
        _not_an_input(path, inputs)
        from .xlsx import Workbook

        self.path = path
        self.book = Workbook(several=several)

    def add(self, doc: dict) -> None:
        self.book.add(doc)

    def close(self) -> str | None:
        try:
            if self.path:
                from .atomic import replacing

                with replacing(self.path) as tmp:
                    self.book.save(tmp)
            else:
                import io

                buf = io.BytesIO()
                self.book.save(buf)
                sys.stdout.buffer.write(buf.getvalue())
                sys.stdout.flush()
        except OSError as e:
            self.book.discard()
            raise OutputError(self.path or "-", f"cannot write: {e.strerror or e}") from None
        except BaseException:
            self.book.discard()
            raise
        return None

    def abort(self) -> None:
        self.book.discard()


def write_workbook(path: str, doc: dict) -> None:
    """One document's ledger (--output-dir), written atomically. Raises OSError."""
    from .atomic import replacing
    from .xlsx import Workbook

    book = Workbook(several=False)
    try:
        book.add(doc)
        with replacing(path) as tmp:
            book.save(tmp)
    except BaseException:
        book.discard()
        raise


class SqliteSink:
    """Append every document to a database, one transaction each."""

    def __init__(self, path: str, *, several: bool = False, inputs=frozenset()):
        _not_an_input(path, inputs)
        from .sqlite import Database

        self.db = Database(path)

    def add(self, doc: dict) -> None:
        self.db.add(doc)

    def close(self) -> str:
        self.db.close()
        return (f"{self.db.path}: {self.db.added} document{'s' if self.db.added != 1 else ''} added, "
                f"{self.db.present} already there")

    def abort(self) -> None:
        self.db.abort()


def open_sink(fmt: str, path: str | None, *, several: bool, inputs=frozenset()):
    """The writer of a format that takes every document (xlsx, sqlite). Raises OutputError."""
    cls = XlsxSink if fmt == "xlsx" else SqliteSink
    return cls(path, several=several, inputs=inputs)


def _not_an_input(path: str | None, inputs) -> None:
    if path and os.path.realpath(path) in inputs:
        raise OutputError(path, "is an input; not overwritten", EXIT_USAGE)


__all__ = ["FORMATS", "SINKS", "EXTENSIONS", "OutputError", "choose_format", "check_binary_stdout", "open_sink",
           "to_json", "to_yaml", "to_table", "to_tsv", "header", "clause_rows", "table_rows", "item_label",
           "TABLE_COLUMNS", "TSV_COLUMNS"]
