"""The Excel reader (issue 12): workbooks made by openpyxl (tests/docmake/xlsx.py) read as a person reads
them — merged cells spread, titles and section rows as headings, values as shown — losslessly, and hostile
workbooks refused quickly with one error line."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run_measured

from dutysplit.api import parse_bytes_dict, parse_file_dict
from dutysplit.audit import lossless_problems
from dutysplit.errors import InputError
from dutysplit.read.xlsx import read
from tests.docmake import xlsx as mk
from tests.goldcheck import compare, load_gold

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
MAX = 50 << 20
# corpus documents holding `|` tables (d003 is left out: its rows wrap over several lines, which only a
# text reader can join; a builder laying out one row per line cannot rebuild that sheet)
TABLE_DOCS = ["d005", "d006", "d011", "d012", "d024", "d025", "h003", "h004", "h039", "h041", "n001", "n013",
              "n049"]


def tasks(doc: dict) -> list[tuple[str, str, list[str], list[str]]]:
    """(section heading, task text, sorted leads, sorted units) of every task."""
    out = []
    for part in doc["parts"]:
        for sec in part["sections"]:
            for it in sec["items"]:
                units = [u for c in it["clauses"] for u in c["units"]]
                out.append((sec["heading"], it["text"], sorted({u["name"] for u in units if u["role"] == "lead"}),
                            sorted({u["name"] for u in units})))
    return out


def xlsx_doc(data: bytes) -> dict:
    return parse_bytes_dict(data, source="t.xlsx")


def workbook(fill) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    fill(wb)
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


# ---- (a) the corpus as workbooks scores as the text does ------------------------------------------------

def _params():
    for d in TABLE_DOCS:
        for merge in (True, False):
            yield pytest.param(d, merge, id=f"{d}-{'merged' if merge else 'plain'}")


@pytest.mark.parametrize("name,merge", list(_params()))
def test_corpus_table_as_xlsx_scores_as_text(name, merge, tmp_path):
    gold = load_gold(CORPUS / "gold" / f"{name}.tsv")
    raw = CORPUS / "raw" / f"{name}.txt"
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(mk.from_text(raw.read_text(encoding="utf-8"), merge=merge))
    want, _ = compare(gold, parse_file_dict(str(raw)))
    got, diffs = compare(gold, parse_file_dict(str(path)))
    assert (got["exact"], got["found"], got["units_ok"], got["lead_ok"]) == \
        (want["exact"], want["found"], want["units_ok"], want["lead_ok"]), "\n".join(diffs)


# ---- (b) merged cells, titles, section rows -------------------------------------------------------------

def test_rule_text_reads_merged_units_titles_and_sections():
    doc = xlsx_doc(mk.from_text(mk.RULE_TEXT))
    assert doc["parts"][0]["title"] == "2024年政府工作报告重点工作任务分解表"
    assert [(s["label"], s["heading"]) for s in doc["parts"][0]["sections"]] == \
        [("一", "稳定经济增长"), ("二", "加快科技创新")]
    got = tasks(doc)
    assert [t[1] for t in got][:3] == ["地区生产总值增长6%左右。", "固定资产投资增长6%以上。", "社会消费品零售总额增长5.5%以上。"]
    # 市统计局 is one cell merged over three task rows: all three have it; 市发展改革委 over two
    assert [t[3] for t in got[:3]] == [["市发展改革委", "市统计局"], ["市发展改革委", "市统计局"], ["市商务局", "市统计局"]]
    assert [t[2] for t in got] == [["市发展改革委"], ["市发展改革委"], ["市商务局"], ["市科技局"], ["市教育局"]]
    assert not [d for d in doc["diagnostics"] if d["level"] != "info"]


def test_merged_cells_give_lines_once_and_spread_in_the_grid():
    b = read(mk.from_text(mk.RULE_TEXT), max_bytes=MAX)
    assert b.lines.count("市统计局") == 1 and b.lines.count("市发展改革委") == 1
    assert b.positions[b.lines.index("市统计局")] == "Sheet1!D4"
    (grid,) = b.grids
    assert grid.form == "xlsx"
    unit_cells = [row[3] for row in grid.rows if len(row) == 4][1:4]
    assert [c.text for c in unit_cells] == ["市统计局"] * 3
    assert unit_cells[0].lines == unit_cells[1].lines == unit_cells[2].lines
    title = b.lines.index("2024年政府工作报告重点工作任务分解表") + 1
    assert all(title not in c.lines for row in grid.rows for c in row)  # the title is no grid row
    section = [row for row in grid.rows if len(row) == 1]  # a section row: one cell, no column
    assert [(r[0].text, r[0].col) for r in section] == [("一、稳定经济增长", None), ("二、加快科技创新", None)]


def test_a_lead_merged_down_a_column_reaches_every_task():
    def fill(wb):
        ws = wb.active
        ws.append(["序号", "工作任务", "牵头单位", "配合单位"])
        ws.append([1, "推进重大项目建设。", "市发展改革委", "市财政局"])
        ws.append([2, "加快城市更新。", None, "市自然资源局"])
        ws.append([3, "新建学校。", None, "市教育局"])
        ws.merge_cells("C2:C4")
    got = tasks(xlsx_doc(workbook(fill)))
    assert [t[2] for t in got] == [["市发展改革委"]] * 3
    assert [t[3] for t in got][2] == ["市发展改革委", "市教育局"]


def test_prose_and_a_second_table_after_blank_rows():
    def fill(wb):
        ws = wb.active
        ws.append(["关于印发重点工作任务分解表的通知"])
        ws.append(["各镇人民政府，县级各部门：\n现将任务分解表印发给你们，请认真贯彻执行。"])
        ws.append(["序号", "工作任务", "牵头单位"])
        ws.append([1, "推进重大项目建设。", "县发展改革局"])
        ws.append([])
        ws.append([])
        ws.append(["序号", "工作任务", "牵头单位"])
        ws.append([2, "加快城市更新。", "县住建局"])
        ws.append(["注：各单位于每月底前报送进展。"])
    data = workbook(fill)
    b = read(data, max_bytes=MAX)
    assert len(b.grids) == 2
    assert "现将任务分解表印发给你们，请认真贯彻执行。" in b.lines  # one line per paragraph of a cell
    assert b.positions[b.lines.index("现将任务分解表印发给你们，请认真贯彻执行。")] == "Sheet!A2"
    doc = parse_bytes_dict(data, source="t.xlsx")
    assert [(t[1], t[2]) for t in tasks(doc)] == [("推进重大项目建设。", ["县发展改革局"]), ("加快城市更新。", ["县住建局"])]
    assert lossless_problems(doc, "\n".join(b.lines)) == []


# ---- (c) values as a person sees them -------------------------------------------------------------------

def test_numbers_dates_percentages_and_formulas_as_shown():
    def fill(wb):
        ws = wb.active
        ws.append([1, 2.0, 3.25, 0.055, dt.date(2024, 6, 30), dt.datetime(2024, 6, 30, 0, 0), 0.1 + 0.2])
        ws["D1"].number_format = "0.0%"
        ws.append([dt.datetime(2024, 12, 31), 1234567, 0.5, "=SUM(A1:B1)", True])
        ws["A2"].number_format = 'yyyy"年"m"月"d"日"'
        ws["B2"].number_format = "#,##0"
        ws["C2"].number_format = "0%"
        hidden = wb.create_sheet("备用")
        hidden.append(["隐藏"])
        hidden.sheet_state = "hidden"
    b = read(workbook(fill), max_bytes=MAX)
    assert b.lines == ["1", "2", "3.25", "5.5%", "2024-06-30", "2024-06-30", "0.3",
                       "2024年12月31日", "1,234,567", "50%", "=SUM(A1:B1)", "TRUE", "隐藏"]
    codes = [(d["level"], d["code"]) for d in b.diagnostics]
    assert ("warning", "formula_no_value") in codes and ("info", "hidden_sheet") in codes


# ---- (d) lossless --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["h003", "d012", "d024", "n001"])
def test_lossless(name):
    data = mk.from_text((CORPUS / "raw" / f"{name}.txt").read_text(encoding="utf-8"))
    b = read(data, max_bytes=MAX)
    doc = parse_bytes_dict(data, source=f"{name}.xlsx")
    assert lossless_problems(doc, "\n".join(b.lines)) == []
    assert doc["source"]["positions"] == b.positions


# ---- (e) hostile workbooks -----------------------------------------------------------------------------

HOSTILE = {
    "zip_bomb": "expands to over",
    "entity_bomb": "declares XML entities",
    "huge_merge": "sheet 'Sheet1' merges A2:XFD1048576 ",
    "damaged": "a damaged .xlsx",
    "damaged_xml": "a damaged .xlsx workbook",
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    for name in [*HOSTILE, "huge_dimension"]:
        (d / f"{name}.xlsx").write_bytes(getattr(mk, name)())
    return d


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_refused_quickly(name, hostile_dir):
    data = (hostile_dir / f"{name}.xlsx").read_bytes()
    t0 = time.monotonic()
    with pytest.raises(InputError, match=HOSTILE[name]):
        read(data, max_bytes=MAX)
    assert time.monotonic() - t0 < 5


def test_huge_dimension_read_fast(hostile_dir):
    t0 = time.monotonic()
    b = read((hostile_dir / "huge_dimension.xlsx").read_bytes(), max_bytes=MAX)
    assert time.monotonic() - t0 < 5
    assert b.lines == ["序号", "工作任务", "牵头单位"] and b.grids == []


def _cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dutysplit", "parse", str(path)], capture_output=True, timeout=60, check=False,
                          cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_hostile_through_the_cli(hostile_dir):
    for name, reason in HOSTILE.items():
        reason = "damaged" if name == "damaged" else reason  # a cut zip is found out by the format detector
        path = hostile_dir / f"{name}.xlsx"
        t0 = time.monotonic()
        proc = _cli(path)
        assert time.monotonic() - t0 < 5, name
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 1 and "Traceback" not in err, err
        assert err.count("\n") == 1 and err.startswith(f"dutysplit: error: {path}: ") and reason in err, err
    code, _, err, _, peak = run_measured([sys.executable, "-m", "dutysplit", "parse", hostile_dir / "huge_dimension.xlsx"])
    assert code == 0 and "Traceback" not in err.decode("utf-8")
    assert peak < 400  # MB: bounded memory


# ---- (f) dutysplit's own ledger read back ------------------------------------------------------------

def test_own_xlsx_output_read_back(tmp_path):
    src = min((ROOT / "samples").glob("001_*.txt"))
    out = tmp_path / "out.xlsx"
    proc = subprocess.run([sys.executable, "-m", "dutysplit", "parse", str(src), "-f", "xlsx", "-o", str(out)],
                          capture_output=True, timeout=60, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    first = [t[1:] for t in tasks(parse_file_dict(str(src)))]
    again = [t[1:] for t in tasks(parse_file_dict(str(out)))]
    # the ledger writes one row per task, its clauses' units joined: leads and units compared as sets
    assert again == first


# ---- the rule fixture ----------------------------------------------------------------------------------

def test_rule_fixture_is_current(tmp_path):
    made = mk.write_rule_fixture(tmp_path)
    kept = ROOT / "tests" / "fixtures" / "rules" / made.name
    assert kept.exists(), "run: python -c 'from tests.docmake.xlsx import write_rule_fixture as w; " \
                          "w(\"tests/fixtures/rules\")'"
    strip = lambda d: {k: v for k, v in d.items() if k != "source"}
    assert strip(parse_file_dict(str(kept))) == strip(parse_file_dict(str(made)))


def test_a_sparse_sheet_whose_used_range_is_too_large_is_refused():
    def fill(wb):
        ws = wb.active
        ws.title = "台账"
        for i in range(1, 1101):  # a diagonal: 1,100 cells, 1,100 rows × 1,100 used columns
            ws.cell(row=i, column=i, value=f"单位{i}")
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"sheet '台账': its used range A1:APH1100 holds 1210000 cells"):
        read(workbook(fill), max_bytes=MAX)
    assert time.monotonic() - t0 < 5
