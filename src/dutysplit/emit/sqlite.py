"""The database (``--format sqlite -o tasks.db``), with the standard library's sqlite3 (imported only here).

Tables ``documents`` → ``tasks`` → ``clauses`` → ``units``, and ``diagnostics``, joined by foreign keys.
A document's key is the SHA-256 of its bytes: a second run over the same files adds nothing, a changed
file adds a new document. Each document is written in one transaction, so a run that is stopped leaves
the documents before it whole and nothing of the one it was writing; running it again adds the rest.
The ``tasks`` columns are the task row of :mod:`.rows` (the same as the task CSV with ``--columns en``).
"""
from __future__ import annotations

import os

from ..errors import EXIT_USAGE, OutputError
from .rows import TASK_COLUMNS, DocumentRows, cell

DB_SCHEMA_VERSION = "1"
_HEADER = b"SQLite format 3\x00"

_TASK_KEYS = tuple(c.key for c in TASK_COLUMNS)
_TASK_EXTRA = ("part_no", "section_label", "section_heading", "section_kind", "deadline_date", "first_line",
               "last_line")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS dutysplit (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    document TEXT, title TEXT, notice_title TEXT, doc_number TEXT, issuer TEXT, place TEXT,
    date TEXT, published TEXT, year INTEGER, encoding TEXT, layout TEXT, convention TEXT,
    tasks INTEGER NOT NULL, warnings INTEGER NOT NULL, schema_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    {", ".join(f"{k} {'INTEGER' if k == 'seq' else 'TEXT'}" for k in _TASK_KEYS)},
    part_no INTEGER, section_label TEXT, section_heading TEXT, section_kind TEXT, deadline_date TEXT,
    first_line INTEGER, last_line INTEGER,
    UNIQUE (document_id, seq)
);
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, text TEXT, lead TEXT, inherited INTEGER NOT NULL, note TEXT,
    first_line INTEGER, last_line INTEGER,
    UNIQUE (task_id, seq)
);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    clause_id INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, name TEXT NOT NULL, canonical TEXT NOT NULL, role TEXT NOT NULL, kind TEXT,
    jurisdiction TEXT,
    UNIQUE (clause_id, seq)
);
CREATE TABLE IF NOT EXISTS diagnostics (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    task_id INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    level TEXT NOT NULL, code TEXT NOT NULL, line INTEGER, message TEXT
);
CREATE INDEX IF NOT EXISTS tasks_document ON tasks (document_id);
CREATE INDEX IF NOT EXISTS clauses_task ON clauses (task_id);
CREATE INDEX IF NOT EXISTS units_task ON units (task_id);
CREATE INDEX IF NOT EXISTS units_canonical ON units (canonical, role);
CREATE INDEX IF NOT EXISTS diagnostics_document ON diagnostics (document_id);
"""


def check_target(path: str) -> None:
    """A file that exists must be a database this module wrote (never overwrite anything else)."""
    if os.path.isdir(path):
        raise OutputError(path, "is a directory", EXIT_USAGE)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_HEADER))
    except OSError as e:
        raise OutputError(path, f"cannot read: {e.strerror or e}") from None
    if head != _HEADER:
        raise OutputError(path, "exists and is not an SQLite database; not touched", EXIT_USAGE)


class Database:
    """Append documents to an SQLite file, one transaction each; a document already there is skipped."""

    def __init__(self, path: str):
        check_target(path)
        self.path = path
        self.conn = None
        self.added = self.present = 0

    def _open(self):
        import sqlite3

        try:
            folder = os.path.dirname(self.path)
            if folder:
                os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise OutputError(self.path, f"cannot write: {e.strerror or e}") from None
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            # a commit per document: NORMAL syncs at the critical moments only (FULL costs ~20 ms a
            # document here); a crash or Ctrl-C still never leaves half a document
            conn.execute("PRAGMA synchronous = NORMAL")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "dutysplit" not in tables:
                conn.close()
                raise OutputError(self.path, "is an SQLite database that dutysplit did not make; not touched",
                                  EXIT_USAGE)
            if tables:
                row = conn.execute("SELECT value FROM dutysplit WHERE key = 'db_schema_version'").fetchone()
                if not row or row[0] != DB_SCHEMA_VERSION:
                    conn.close()
                    raise OutputError(self.path, f"database schema {row and row[0]!r}, this dutysplit writes "
                                                 f"{DB_SCHEMA_VERSION!r}; use a new file", EXIT_USAGE)
            else:
                conn.executescript(f"BEGIN IMMEDIATE; {SCHEMA} INSERT OR REPLACE INTO dutysplit VALUES "
                                   f"('db_schema_version', '{DB_SCHEMA_VERSION}'); COMMIT;")
        except sqlite3.DatabaseError as e:
            raise OutputError(self.path, f"database error: {e}") from None
        self.conn = conn
        return conn

    def add(self, doc: dict) -> bool:
        """Write one document in one transaction; False when a document with its SHA-256 is there already."""
        import sqlite3

        conn = self.conn or self._open()
        sha = doc["source"]["sha256"]
        try:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha,)).fetchone():
                conn.execute("ROLLBACK")
                self.present += 1
                return False
            self._insert(conn, doc)
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise OutputError(self.path, f"database error: {e}") from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.added += 1
        return True

    def _insert(self, conn, doc: dict) -> None:
        from .. import SCHEMA_VERSION

        rows = DocumentRows(doc)
        d = rows.document_row()
        cur = conn.execute(
            "INSERT INTO documents (sha256, document, title, notice_title, doc_number, issuer, place, date, "
            "published, year, encoding, layout, convention, tasks, warnings, schema_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d["sha256"], d["document"], d["title"], d["notice_title"], d["doc_number"], d["issuer"], d["place"],
             d["date"], d["published"], d["year"], d["encoding"], doc["layout"], doc["convention"]["rule"],
             d["tasks"], d["warnings"], doc.get("schema_version", SCHEMA_VERSION)))
        doc_id = cur.lastrowid
        # the transaction holds the write lock: ids are given here, so that every table takes one executemany
        next_task = _next_id(conn, "tasks")
        next_clause = _next_id(conn, "clauses")
        tasks, clauses, units = [], [], []
        task_ids: dict[int, int] = {}
        for task, (_, _, _, item) in zip(rows.tasks, rows.items):
            task_id = task_ids[task["seq"]] = next_task + len(tasks)
            tasks.append([task_id, *(cell(c, task.get(c.key), "en") for c in TASK_COLUMNS),
                          task["part_no"], task["section_label"], task["section_heading"], task["section_kind"],
                          task["deadline_date"], task["lines"][0], task["lines"][1], doc_id])
            for c_no, clause in enumerate(item["clauses"], 1):
                clause_id = next_clause + len(clauses)
                clauses.append((clause_id, task_id, c_no, clause["text"], clause["lead"], int(clause["inherited"]),
                                clause["note"], clause["lines"][0], clause["lines"][1]))
                units.extend((clause_id, task_id, u_no, u["name"], u["canonical"], u["role"], u["kind"],
                              u["jurisdiction"]) for u_no, u in enumerate(clause["units"], 1))
        keys = ("id",) + _TASK_KEYS + _TASK_EXTRA + ("document_id",)
        conn.executemany(f"INSERT INTO tasks ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})", tasks)
        conn.executemany("INSERT INTO clauses (id, task_id, seq, text, lead, inherited, note, first_line, last_line) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", clauses)
        conn.executemany("INSERT INTO units (clause_id, task_id, seq, name, canonical, role, kind, jurisdiction) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", units)
        conn.executemany(
            "INSERT INTO diagnostics (document_id, task_id, level, code, line, message) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc_id, task_ids.get(rows.task_of_line(dg["line"])), dg["level"], dg["code"], dg["line"],
              dg["message"]) for dg in doc["diagnostics"]])

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def abort(self) -> None:
        if self.conn is not None:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.close()


def _next_id(conn, table: str) -> int:
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]
