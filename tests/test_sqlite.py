"""The database (`dutysplit parse … -o tasks.db`), made by the real CLI and queried with sqlite3."""
from __future__ import annotations

import csv
import io
import re
import signal
import sqlite3
import subprocess
import time
from collections import defaultdict

import pytest

from dutysplit.index import document_place

from .conftest import ROOT, SAMPLES
from .outputs import CLI, cli, json_doc, json_tasks

DEADLINE_DOC = ("2024年重点工作责任分解\n一、经济发展\n1.建成口袋公园5个。\n责任单位:市住建局、市财政局\n"
                "完成时限:2024年6月底\n2.新建道路。\n牵头单位:市财政局\n配合单位:市交通局\n")


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**SQLite**"):text.index("## Layout families")]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def counts(db) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("documents", "tasks", "clauses", "units", "diagnostics")}
    finally:
        con.close()


def said(r) -> list[str]:
    """The stderr lines that are not a document's warnings (the samples carry some: extraction damage)."""
    return [line for line in r.stderr.decode().splitlines() if not line.startswith("dutysplit: warning: ")]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("db")
    extra = folder / "deadline.txt"
    extra.write_text(DEADLINE_DOC, encoding="utf-8")
    inputs = [*SAMPLES, extra]
    db = folder / "tasks.db"
    r = cli("parse", *inputs, "-o", db, "-j", 2)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"" and said(r) == [f"dutysplit: {db}: 6 documents added, 0 already there"]
    return db, inputs, [json_doc(p) for p in inputs]


def test_tables_hold_every_document_task_clause_unit_and_diagnostic(database):
    db, _, docs = database
    items = [it for d in docs for p in d["parts"] for s in p["sections"] for it in s["items"]]
    clauses = [c for it in items for c in it["clauses"]]
    assert counts(db) == {"documents": len(docs), "tasks": len(items), "clauses": len(clauses),
                          "units": sum(len(c["units"]) for c in clauses),
                          "diagnostics": sum(len(d["diagnostics"]) for d in docs)}
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    fks = {t: {r[2] for r in con.execute(f"PRAGMA foreign_key_list({t})")} for t in ("tasks", "clauses", "units",
                                                                                      "diagnostics")}
    assert fks == {"tasks": {"documents"}, "clauses": {"tasks"}, "units": {"clauses", "tasks"},
                   "diagnostics": {"documents", "tasks"}}
    with pytest.raises(sqlite3.IntegrityError):  # the keys hold
        con.execute("INSERT INTO tasks (document_id, seq) VALUES (9999, 1)")
    shas = [r[0] for r in con.execute("SELECT sha256 FROM documents ORDER BY id")]
    assert shas == [d["source"]["sha256"] for d in docs]


def test_the_readme_queries_return_the_counts_of_the_json(database):
    db, _, docs = database
    lead_tasks, per_unit, no_deadline = readme_queries()
    con = sqlite3.connect(db)
    # 1. the tasks 市财政局 leads
    got = con.execute(lead_tasks).fetchall()
    want = [(d["meta"]["year"], d["source"]["path"], n, t["text"]) for d in docs
            for n, t in enumerate(json_tasks(d), 1) if t["canonical"].get("市财政局") == "lead"]
    assert len(want) >= 4 and [(r[0], r[1], r[2], r[4]) for r in got] == sorted(want, key=lambda w: (w[0],))
    # 2. task counts per unit and year
    expected: dict[tuple, list[set]] = defaultdict(lambda: [set(), set()])
    for n_doc, d in enumerate(docs):
        place = document_place(d)
        for n, t in enumerate(json_tasks(d)):
            for canon, role in t["canonical"].items():
                e = expected[(place, canon, d["meta"]["year"])]
                e[0].add((n_doc, n))
                if role == "lead":
                    e[1].add((n_doc, n))
    got = con.execute(per_unit).fetchall()
    assert {(r[0], r[1], r[2]): (r[3], r[4]) for r in got} == \
        {k: (len(v[0]), len(v[1])) for k, v in expected.items()}
    assert [r[3] for r in got] == sorted((r[3] for r in got), reverse=True)
    # 3. tasks without a deadline: those whose JSON names none (no 完成时限 field, no deadline in the words)
    got = con.execute(no_deadline).fetchall()
    items = [it for d in docs for p in d["parts"] for s in p["sections"] for it in s["items"]]
    assert len(got) == sum(1 for it in items if not (it.get("deadline") or {}).get("raw"))
    assert len(got) < len(items)
    assert ("2024年6月底",) in con.execute("SELECT deadline FROM tasks WHERE deadline IS NOT NULL").fetchall()


def test_a_second_run_adds_nothing_and_a_changed_file_adds_a_document(database, tmp_path):
    db, inputs, _ = database
    before = counts(db)
    r = cli("parse", *inputs, "-o", db)
    assert r.returncode == 0
    assert said(r) == [f"dutysplit: {db}: 0 documents added, 6 already there"]
    assert counts(db) == before
    changed = tmp_path / SAMPLES[4].name
    changed.write_text(SAMPLES[4].read_text(encoding="utf-8").replace("一般公共预算收入增长7%", "一般公共预算收入增长8%"),
                       encoding="utf-8")
    r = cli("parse", changed, "-o", db)
    assert r.returncode == 0 and b"1 document added" in r.stderr
    after = counts(db)
    assert after["documents"] == before["documents"] + 1
    assert after["tasks"] == before["tasks"] + len(json_tasks(json_doc(changed)))


def test_the_tasks_table_is_the_task_csv(database):
    """One definition of the task row: the `tasks` columns equal the task CSV (--columns en) cell for cell."""
    db, inputs, _ = database
    r = cli("parse", inputs[2], "-f", "csv")
    head, *rows = list(csv.reader(io.StringIO(r.stdout.decode("utf-8"))))
    task_cols = head[:head.index("document")]
    con = sqlite3.connect(db)
    got = con.execute(f"SELECT {', '.join(task_cols)} FROM tasks JOIN documents d ON d.id = tasks.document_id "
                      "WHERE d.document = ? ORDER BY seq", (str(inputs[2]),)).fetchall()
    assert [[("" if v is None else str(v)) for v in row] for row in got] == [row[:len(task_cols)] for row in rows]


def test_sqlite_needs_a_file_and_never_touches_another_file(tmp_path):
    r = cli("parse", SAMPLES[0], "-f", "sqlite")
    assert r.returncode == 2 and b"give -o FILE.db" in r.stderr
    other = tmp_path / "notes.db"
    other.write_text("my notes", encoding="utf-8")
    r = cli("parse", SAMPLES[0], "-o", other)
    assert r.returncode == 2 and r.stderr.decode() == \
        f"dutysplit: error: {other}: exists and is not an SQLite database; not touched\n"
    assert other.read_text(encoding="utf-8") == "my notes"
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    r = cli("parse", SAMPLES[0], "-o", foreign)
    assert r.returncode == 2 and b"did not make" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.db", "notes.db"]


def test_a_bad_input_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    db = tmp_path / "t.db"
    r = cli("parse", bad, SAMPLES[1], "-o", db)
    assert r.returncode == 1
    assert r.stderr.decode().splitlines() == [f"dutysplit: error: {bad}: binary file (contains NUL bytes)",
                                              f"dutysplit: {db}: 1 document added, 0 already there"]
    assert counts(db)["documents"] == 1


def test_ctrl_c_keeps_whole_documents_and_a_rerun_adds_the_rest(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(80):  # distinct bytes: distinct documents
        (folder / f"d{i:03d}.txt").write_text(texts[i % 5] + f"\n附件{i}\n", encoding="utf-8")
    db = tmp_path / "t.db"
    proc = subprocess.Popen([*CLI, "parse", str(folder), "-o", str(db), "-j", "1"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if counts(db)["documents"] >= 10:
                break
        except sqlite3.Error:
            pass
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "t.db"]  # no journal or temporary file left
    con = sqlite3.connect(db)
    stopped = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert 10 <= stopped < 80
    # every document in the database is whole
    assert con.execute("SELECT COUNT(*) FROM documents d WHERE d.tasks != "
                       "(SELECT COUNT(*) FROM tasks t WHERE t.document_id = d.id)").fetchone()[0] == 0
    con.close()
    r = cli("parse", folder, "-o", db, "-j", 2)
    assert r.returncode == 0
    assert said(r) == [f"dutysplit: {db}: {80 - stopped} documents added, {stopped} already there"]
    assert counts(db)["documents"] == 80


def test_many_inputs_in_parallel_arrive_whole_and_in_order(tmp_path):
    """The sink path keeps a few documents per worker in flight: all of them still arrive, in input order."""
    paths = []
    for i in range(37):
        p = tmp_path / f"in{i:02d}.txt"
        p.write_text(f"一、第{i}项工作\n1.任务{i}。\n责任单位:县财政局、县住建局\n", encoding="utf-8")
        paths.append(p)
    db = tmp_path / "t.db"
    r = cli("parse", *paths, "-o", db, "-j", 2)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT document FROM documents ORDER BY id")] == [str(p) for p in paths]
    assert [r[0] for r in con.execute("SELECT task FROM tasks ORDER BY id")] == [f"任务{i}。" for i in range(37)]
