"""The Excel ledger, as a user makes it (`dutysplit parse … -o 台账.xlsx`), opened with openpyxl."""
from __future__ import annotations

import os
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from dutysplit.batch import TMP_PREFIX

from .conftest import ROOT, SAMPLES
from .outputs import CLI, ISSUE_HEADERS, LEDGER_HEADERS, cli, gold_task_count, json_doc, json_tasks, warnings

SHEETS = ["任务台账", "按单位", "需核对", "文件信息"]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    """One ledger per sample, and the sample's JSON."""
    out = tmp_path_factory.mktemp("ledgers")
    made = {}
    for sample in SAMPLES:
        target = out / f"{sample.stem}.xlsx"
        r = cli("parse", sample, "-o", target)
        assert r.returncode == 0 and r.stdout == b"", r.stderr
        made[sample.name] = (openpyxl.load_workbook(target), json_doc(sample))
    return made


def values(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def check_sheet_form(ws) -> None:
    """Frozen header, an autofilter over every row, wrapped text, a width for every column."""
    last = get_column_letter(ws.max_column)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
    assert ws["A1"].font.b
    for n in range(1, ws.max_column + 1):
        assert ws.column_dimensions[get_column_letter(n)].width >= 6
    if ws.max_row > 1:
        assert all(c.alignment.wrap_text for c in ws[2] if c.value is not None)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_ledger_rows_are_the_tasks_of_the_json(sample, ledgers):
    wb, doc = ledgers[sample.name]
    assert wb.sheetnames == SHEETS
    ws = wb["任务台账"]
    check_sheet_form(ws)
    head, *rows = values(ws)
    assert list(head) == LEDGER_HEADERS and [h for h in head if h != "编号"] == ISSUE_HEADERS
    tasks = json_tasks(doc)
    assert len(rows) == len(tasks) == gold_task_count(sample)
    col = {h: i for i, h in enumerate(head)}
    for n, (row, task) in enumerate(zip(rows, tasks), 1):
        assert row[col["序号"]] == n
        assert row[col["工作任务"]] == (task["text"] or None)
        assert row[col["编号"]] == task["label"].strip("()（）")
        assert row[col["牵头单位"]] == ("、".join(task["lead"]) or None)
        assert row[col["责任单位"]] == ("、".join(task["participants"]) or None)
        assert row[col["配合单位"]] == ("、".join(task["support"]) or None)
        sec = task["section"]
        assert row[col["板块"]].endswith(sec["heading"]) and row[col["板块"]].startswith(sec["label"])
        leaders = "、".join(ld["name"] + (ld["title"] or "") for ld in sec["leaders"])
        assert (row[col["分管领导"]] or "") == leaders
        first, last = task["lines"]
        assert str(first) in row[col["来源"]] and str(last) in row[col["来源"]]
    # every task with a warning on one of its lines, and no other, says so in 需核对
    flagged = {n for n, t in enumerate(tasks, 1)
               for d in warnings(doc) if d["line"] is not None and t["lines"][0] <= d["line"] <= t["lines"][1]}
    assert {row[col["序号"]] for row in rows if row[col["需核对"]]} == flagged


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_the_other_sheets(sample, ledgers):
    wb, doc = ledgers[sample.name]
    for name in SHEETS:
        check_sheet_form(wb[name])
    # 按单位: one row per canonical unit of each task, lead when it leads any clause of it
    head, *rows = values(wb["按单位"])
    col = {h: i for i, h in enumerate(head)}
    tasks = json_tasks(doc)
    assert len(rows) == sum(len(t["canonical"]) for t in tasks)
    for row in rows:
        task = tasks[row[col["序号"]] - 1]
        assert task["canonical"][row[col["单位"]]] == ("lead" if row[col["角色"]] == "牵头" else "other")
        assert row[col["工作任务"]] == (task["text"] or None)
    # 需核对: every warning with its line
    head, *rows = values(wb["需核对"])
    assert [(r[head.index("文件")], r[head.index("行")]) for r in rows] == \
        [(doc["source"]["path"], d["line"]) for d in warnings(doc)]
    # 文件信息: the document's facts
    head, *rows = values(wb["文件信息"])
    assert len(rows) == 1
    info = dict(zip(head, rows[0]))
    meta = doc["meta"]
    assert info["SHA-256"] == doc["source"]["sha256"] and info["文件"] == doc["source"]["path"]
    assert (info["标题"], info["文号"], info["发文单位"], info["年度"], info["成文日期"]) == \
        (meta["title"], meta["doc_number"], meta["issuer"], meta["year"], meta["date"])
    assert info["任务数"] == len(tasks)


def test_several_inputs_make_one_workbook_with_a_file_column(tmp_path):
    target = tmp_path / "all.xlsx"
    r = cli("parse", *SAMPLES, "-o", target, "-j", 2)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(target)
    head, *rows = values(wb["任务台账"])
    assert list(head) == ["文件", *LEDGER_HEADERS]
    per_file = {}
    for row in rows:
        per_file.setdefault(row[0], []).append(row)
    assert list(per_file) == [str(p) for p in SAMPLES]  # input order
    for sample in SAMPLES:
        assert len(per_file[str(sample)]) == gold_task_count(sample)
        assert [row[1] for row in per_file[str(sample)]] == list(range(1, gold_task_count(sample) + 1))
    assert len(list(wb["文件信息"].iter_rows())) == 1 + len(SAMPLES)
    assert "文件" in next(wb["按单位"].iter_rows(values_only=True))
    assert [p.name for p in tmp_path.iterdir()] == ["all.xlsx"]  # no temporary file left


def test_output_dir_writes_one_workbook_per_input(tmp_path):
    r = cli("parse", *SAMPLES[:2], "-f", "xlsx", "-d", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert made == [f"{p.stem}.xlsx" for p in SAMPLES[:2]]
    wb = openpyxl.load_workbook(tmp_path / "out" / made[0])
    assert wb.sheetnames == SHEETS and wb["任务台账"].max_row == 1 + gold_task_count(SAMPLES[0])


def test_extension_chooses_the_format_and_an_unknown_one_is_a_usage_error(tmp_path):
    r = cli("parse", SAMPLES[0], "-o", tmp_path / "a.xlsx")
    assert r.returncode == 0 and (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    r = cli("parse", SAMPLES[0], "-o", tmp_path / "a.out")
    assert r.returncode == 2 and b"give --format" in r.stderr
    r = cli("parse", SAMPLES[0], "-o", tmp_path / "noext")
    assert r.returncode == 2
    r = cli("parse", SAMPLES[0], "-f", "csv", "-o", tmp_path / "b.xlsx")  # says xlsx, asks csv
    assert r.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]
    r = cli("parse", SAMPLES[0], "-f", "json", "-o", tmp_path / "c.out")  # an explicit format: any name
    assert r.returncode == 0 and (tmp_path / "c.out").read_bytes().startswith(b"{")


def test_xlsx_is_refused_on_a_terminal_and_written_to_a_redirect(tmp_path):
    import pty

    main, sub = pty.openpty()
    try:
        r = subprocess.run([*CLI, "parse", str(SAMPLES[0]), "-f", "xlsx"], stdout=sub, stderr=subprocess.PIPE,
                           cwd=ROOT, timeout=60)
    finally:
        os.close(sub)
        os.close(main)
    assert r.returncode == 2 and b"give -o FILE.xlsx or redirect" in r.stderr
    with open(tmp_path / "redirected.xlsx", "wb") as fh:
        r = subprocess.run([*CLI, "parse", str(SAMPLES[0]), "-f", "xlsx"], stdout=fh, stderr=subprocess.PIPE,
                           cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(tmp_path / "redirected.xlsx")
    assert wb["任务台账"].max_row == 1 + gold_task_count(SAMPLES[0])


def test_never_over_an_input(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_bytes(SAMPLES[0].read_bytes())
    r = cli("parse", src, "-f", "xlsx", "-o", src)
    assert r.returncode == 2 and b"is the input" in r.stderr
    assert src.read_bytes() == SAMPLES[0].read_bytes()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    src = tmp_path / "f.txt"
    src.write_text("一、经济发展\n1.=HYPERLINK(\"http://x\")完成任务。\n责任单位:县财政局、县住建局\n"
                   "2.#N/A\n责任单位:县财政局\n", encoding="utf-8")
    r = cli("parse", src, "-o", tmp_path / "f.xlsx")
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx")["任务台账"]
    task = LEDGER_HEADERS.index("工作任务") + 1
    assert ws.cell(2, task).data_type == "s" and ws.cell(2, task).value.startswith("=HYPERLINK")
    assert ws.cell(3, task).data_type == "s" and ws.cell(3, task).value == "#N/A"


def test_a_failed_save_leaves_neither_a_temporary_file_nor_a_changed_target(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import dutysplit.emit.xlsx as xlsx
    from dutysplit.cli import main

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"the previous ledger")

    def save(self, path):  # a save that dies half way
        with open(path, "wb") as fh:
            fh.write(b"PK partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx.Workbook, "save", save)
    r = CliRunner().invoke(main, ["parse", str(SAMPLES[0]), "-o", str(target)])
    assert r.exit_code == 3 and r.stderr == f"dutysplit: error: {target}: cannot write: No space left on device\n"
    assert target.read_bytes() == b"the previous ledger"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_deadline_and_checks_in_words(tmp_path):
    src = tmp_path / "d.txt"
    src.write_text("2024年重点工作责任分解\n一、经济发展\n1.建成口袋公园5个。\n责任单位:县住建局、县财政局\n"
                   "完成时限:2024年6月底\n2.新建道路。\n牵头单位:县交通局\n配合单位:县财政局\n3.没有单位的任务。\n",
                   encoding="utf-8")
    r = cli("parse", src, "-o", tmp_path / "d.xlsx")
    assert r.returncode == 0, r.stderr
    head, *rows = values(openpyxl.load_workbook(tmp_path / "d.xlsx")["任务台账"])
    col = {h: i for i, h in enumerate(head)}
    assert [row[col["完成时限"]] for row in rows] == ["2024年6月底", None, None]
    assert [row[col["配合单位"]] for row in rows] == [None, "县财政局", None]
    assert rows[2][col["需核对"]] == "原文可能截断" and rows[0][col["需核对"]] is None


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_plain_parse_imports_no_output_library(fmt):
    """Start-up time: the libraries of the other formats load only when chosen."""
    r = subprocess.run([*CLI, "parse", str(SAMPLES[2]), "-f", fmt], env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
                       capture_output=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0
    imported = {line.split("|")[-1].strip().split(".")[0] for line in r.stderr.decode().splitlines()
                if line.startswith("import time:")}
    assert "dutysplit" in imported and "click" in imported  # the check sees imports
    assert not imported & {"openpyxl", "rapidfuzz", "sqlite3", "_sqlite3", "rich", "yaml", "pydantic"}


def test_output_dir_write_failure_is_one_error_and_the_others_are_written(tmp_path):
    out = tmp_path / "out"
    (out / f"{SAMPLES[0].stem}.xlsx").mkdir(parents=True)  # where the first ledger should go: a directory
    r = cli("parse", *SAMPLES[:2], "-f", "xlsx", "-d", out)
    assert r.returncode == 1  # a directory in the way fails that input (not a failed write: that is 3)
    first = r.stderr.decode().splitlines()[0]
    assert first.startswith(f"dutysplit: error: {SAMPLES[0]}: output ") and "is not a regular file" in first
    assert (out / f"{SAMPLES[1].stem}.xlsx").read_bytes()[:2] == b"PK"
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
