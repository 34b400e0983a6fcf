"""CSV/TSV for people: one row per task (the default), document columns in every row, needs_check,
Chinese headers; --per clause keeps the gold shape."""
from __future__ import annotations

import copy
import csv
import io

import pytest

from dutysplit.emit.rows import TASK_COLUMNS, DocumentRows, deadline

from .conftest import SAMPLES
from .outputs import cli, gold_task_count, json_doc, json_tasks, warnings


def read_csv(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8").lstrip("\ufeff"))))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_one_row_per_task_with_the_units_of_all_its_clauses(sample):
    doc = json_doc(sample)
    rows = read_csv(cli("parse", sample, "-f", "csv"))
    tasks = json_tasks(doc)
    assert len(rows) == len(tasks) == gold_task_count(sample)
    meta = doc["meta"]
    for n, (row, task) in enumerate(zip(rows, tasks), 1):
        assert row["seq"] == str(n) and row["task"] == task["text"]
        assert row["lead"] == "|".join(task["lead"])
        assert row["participants"] == "|".join(task["participants"])
        assert row["support"] == "|".join(task["support"])
        assert row["lines"] == f"{task['lines'][0]}-{task['lines'][1]}"
        # the document's columns in every row
        assert (row["document"], row["issuer"], row["doc_number"], row["year"]) == \
            (doc["source"]["path"], meta["issuer"] or "", meta["doc_number"] or "", str(meta["year"] or ""))
        assert row["place"]


def test_a_task_of_several_clauses_is_one_row():
    doc = json_doc(SAMPLES[1])  # 001: tasks with up to eight inline clauses
    many = [t for t in json_tasks(doc) if len({u["name"] for c in _item(doc, t)["clauses"] for u in c["units"]}) > 5]
    assert many
    rows = read_csv(cli("parse", SAMPLES[1], "-f", "csv"))
    clause_rows = read_csv(cli("parse", SAMPLES[1], "-f", "csv", "--per", "clause"))
    assert len(clause_rows) > len(rows) == 30
    for row in rows:
        mine = [c for c in clause_rows if c["section"] + "/" + c["item"] == _key(row)]
        units = {u for c in mine for u in c["units"].split("|") if u}
        assert units == {u for col in ("lead", "participants", "support") for u in row[col].split("|") if u}


def _item(doc, task):
    return next(it for p in doc["parts"] for s in p["sections"] for it in s["items"]
                if it["lines"] == task["lines"])


def _key(row) -> str:
    return row["section"].split("、")[0] + "/" + row["item"]


def test_needs_check_names_the_warnings_on_the_tasks_lines():
    doc = json_doc(SAMPLES[2])  # 002: four possible typos (嵎泗 for 嵊泗)
    rows = read_csv(cli("parse", SAMPLES[2], "-f", "csv"))
    typo_lines = [d["line"] for d in warnings(doc) if d["code"] == "possible_typo"]
    assert len(typo_lines) == 4
    flagged = [row for row in rows if row["needs_check"]]
    assert flagged and all(row["needs_check"] == "possible_typo" for row in flagged)
    assert {row["seq"] for row in flagged} == {
        row["seq"] for row in rows for line in typo_lines
        if int(row["lines"].split("-")[0]) <= line <= int(row["lines"].split("-")[1])}


def test_chinese_headers_and_words(tmp_path):
    r = cli("parse", SAMPLES[2], "-f", "tsv", "--columns", "zh")
    lines = r.stdout.decode("utf-8").splitlines()
    assert lines[0].split("\t") == [c.zh for c in TASK_COLUMNS] + ["文件", "发文单位", "地区", "文号", "年度"]
    rows = [dict(zip(lines[0].split("\t"), line.split("\t"))) for line in lines[1:]]
    assert {row["需核对"] for row in rows} == {"", "单位名疑似错字"}
    assert rows[0]["来源"].startswith("第") and "|" not in "".join(row["责任单位"] for row in rows)
    src = tmp_path / "d.txt"
    src.write_text("一、经济发展\n1.建成口袋公园5个。\n责任单位:县住建局、县财政局\n完成时限:2024年6月底\n"
                   "2.新建道路。\n", encoding="utf-8")
    rows = read_csv(cli("parse", src, "-f", "csv", "--columns", "zh", "--excel"))
    assert [(r["完成时限"], r["需核对"]) for r in rows] == [("2024年6月底", ""), ("", "原文可能截断")]


def test_per_and_columns_shape_tables_only():
    assert cli("parse", SAMPLES[0], "--per", "clause").returncode == 2
    assert cli("parse", SAMPLES[0], "-f", "yaml", "--columns", "zh").returncode == 2
    r = cli("parse", SAMPLES[0], "-f", "tsv", "--per", "clause")
    assert r.stdout.decode("utf-8").split("\n", 1)[0].split("\t")[:7] == \
        ["part", "section", "item", "clause", "lead", "units", "text"]


def test_a_parsed_deadline_is_read_before_the_field():
    doc = json_doc(SAMPLES[0])
    item = doc["parts"][0]["sections"][0]["items"][0]
    assert deadline(item) == (None, None)
    item["fields"].append({"name": "完成时限", "kind": "deadline", "value": "2024年底", "line": None})
    assert deadline(item) == ("2024年底", None)
    item["deadline"] = {"raw": "2024年12月底前", "date": "2024-12-31", "kind": "by"}
    assert deadline(item) == ("2024年12月底前", "2024-12-31")
    task = DocumentRows(copy.deepcopy(doc)).tasks[0]
    assert (task["deadline"], task["deadline_date"]) == ("2024年12月底前", "2024-12-31")


def test_every_warning_code_has_chinese_words_and_the_chinese_readme_explains_them():
    import re

    from dutysplit.emit.rows import words

    from .conftest import ROOT

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "dutysplit").rglob("*.py"))
    codes = set(re.findall(r'diag\(\s*"(?:warning|error)",\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'"level": "(?:warning|error)", "code": "([a-z_]+)"', source))  # readers' notes
    assert len(codes) >= 10
    assert codes <= set(words("check")), "add the missing codes to data/labels_zh.tsv"
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert all(w in readme for w in words("check").values())
    assert "README.zh-CN.md" in (ROOT / "README.md").read_text(encoding="utf-8").split("\n", 4)[2]
