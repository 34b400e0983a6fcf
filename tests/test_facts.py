"""Deadlines and targets (dutysplit.facts): the documented readings, the pipeline hook, the hand count."""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import time

import pytest

import dutysplit

from dutysplit.facts import cn_number, deadline, targets

from .conftest import ROOT
from .facts_score import pr, report, score_all

FIELD = "完成时限"


def _dl(text, year=2024, value=None):
    fields = [{"name": FIELD, "kind": "deadline", "value": value, "line": 1}] if value is not None else []
    d = deadline(text, fields, year)
    return d["kind"], d["date"], d["raw"], d["source"]


@pytest.mark.parametrize("text,kind,date,raw", [
    ("2024年6月底前完成", "date", "2024-06-30", "2024年6月底前"),
    ("6月底前完成", "date", "2024-06-30", "6月底前"),
    ("年底前建成", "date", "2024-12-31", "年底前"),
    ("力争三季度开工", "quarter", "2024-09-30", "三季度"),
    ("第一季度完成", "quarter", "2024-03-31", "第一季度"),
    ("上半年开工", "quarter", "2024-06-30", "上半年"),
    ("2025年下半年投用", "quarter", "2025-12-31", "2025年下半年"),
    ("年内完成", "year", "2024-12-31", "年内"),
    ("2025年12月完成", "date", "2025-12-31", "2025年12月"),
    ("2月底前", "date", "2024-02-29", "2月底前"),  # 2024 is a leap year
    ("6月上旬", "date", "2024-06-10", "6月上旬"),
    ("10月1日前完成", "date", "2024-10-01", "10月1日前"),
    ("长期坚持", "ongoing", None, "长期坚持"),
    ("持续推进垃圾分类", "ongoing", None, "持续推进"),
    ("常态化开展巡查", "ongoing", None, "常态化开展"),
    ("到2025年底全面建成", "date", "2025-12-31", "到2025年底"),
    ("力促2026年开工建设", "year", "2026-12-31", "2026年开工"),
    ("“十四五”期间完成", "year", "2025-12-31", "“十四五”期间"),
    ("3年内完成", "year", "2026-12-31", "3年内"),
    # the latest of several; a date that opens a range or a start is not a deadline
    ("8月底100%开工,10月底全部完成", "date", "2024-10-31", "10月底"),
    ("2021年5月1日至2022年4月30日实施", "date", "2022-04-30", "2022年4月30日"),
    ("2025年底前完成,2024年年底前启动", "date", "2025-12-31", "2025年底前"),
])
def test_deadline_in_text(text, kind, date, raw):
    assert _dl(text) == (kind, date, raw, "text")


@pytest.mark.parametrize("text", [
    "推动经济可持续发展",  # 可持续 is an adjective
    "2016年计划出列的贫困村",  # a year named, no time limit
    "1-10月推进情况",
    "落实8月举办的活动",  # a bare month in a sentence
    "完善常态化探访关爱制度",  # 常态化 of a noun
    "新增城镇就业1.2万人",
])
def test_no_deadline_in_text(text):
    assert _dl(text) == ("none", None, None, None)


def test_year_from_the_document_or_unknown():
    assert _dl("6月底前", year=2023)[:2] == ("date", "2023-06-30")
    assert _dl("6月底前", year=None)[:2] == ("date", None)
    assert _dl("2022年6月底前", year=None)[:2] == ("date", "2022-06-30")


def test_a_deadline_field_beats_the_text():
    assert _dl("年底前完成", value="2024年6月底前") == ("date", "2024-06-30", "2024年6月底前", "field")
    assert _dl("", value="长期") == ("ongoing", None, "长期", "field")
    assert _dl("", value="2021.12") == ("date", "2021-12-31", "2021.12", "field")
    assert _dl("", value="11月") == ("date", "2024-11-30", "11月", "field")  # a bare month is a deadline in a field
    assert _dl("", value="1.2021年8月 2.2021年12月")[:2] == ("date", "2021-12-31")
    # a field that says nothing dated: the text decides, else the field is kept as written
    assert _dl("年底前完成", value="按上级要求") == ("date", "2024-12-31", "年底前", "text")
    assert _dl("完成", value="按上级要求") == ("none", None, "按上级要求", "field")
    # any field named like a deadline counts, whatever kind the table reader gave it
    other = deadline("", [{"name": "计划完成时间", "kind": "other", "value": "10月底", "line": 3}], 2021)
    assert (other["kind"], other["date"]) == ("date", "2021-10-31")


def _t(text):
    return [(t["raw"], t["value"], t["unit"], t["qualifier"], t["direction"], t["low"]) for t in targets(text)]


@pytest.mark.parametrize("text,want", [
    ("新增城镇就业1.2万人", [("1.2万人", 12000, "人", None, None, None)]),
    ("地区生产总值增长6%左右", [("6%左右", 6, "%", "左右", "about", None)]),
    ("完成投资50亿元以上", [("50亿元以上", 5_000_000_000, "元", "以上", "at_least", None)]),
    ("新建口袋公园5个", [("5个", 5, "个", None, None, None)]),
    ("失业率控制在3.5%以内", [("3.5%以内", 3.5, "%", "以内", "at_most", None)]),
    ("覆盖率不低于90%", [("不低于90%", 90, "%", "不低于", "at_least", None)]),
    ("超过100家", [("超过100家", 100, "家", "超过", "at_least", None)]),
    ("建设三个示范区", [("三个", 3, "个", None, None, None)]),
    ("服务十五万人次", [("十五万人次", 150_000, "人次", None, None, None)]),
    ("每户补助3万元", [("3万元", 30_000, "元", None, None, None)]),
    ("高于平均水平3个百分点", [("3个百分点", 3, "百分点", None, None, None)]),
    ("引进100余家企业", [("100余家", 100, "家", "余", "about", None)]),
    ("培训3-5万人", [("3-5万人", 50_000, "人", None, "range", 30_000)]),
    ("增长8%-10%", [("8%-10%", 10, "%", None, "range", 8)]),
    ("职工30人(含)以下的企业", [("30人(含)以下", 30, "人", "以下", "at_most", None)]),
    ("增长8%、8.5%", [("8%", 8, "%", None, None, None), ("8.5%", 8.5, "%", None, None, None)]),
])
def test_targets(text, want):
    assert _t(text) == want


@pytest.mark.parametrize("text", [
    "2024年", "第三季度", "3月底前", "第五次全国经济普查", "40-74周岁居民", "5G基站", "PM2.5浓度",
    "11.121人才梯队项目", "建设一个学段", "“三个一批”", "“四位一体”", "发挥“三项机制”作用", "以三个“一号工程”为牵引",
    "亿元以上项目", "千家万户",
])
def test_not_targets(text):
    assert targets(text) == []


def test_spans_point_at_the_raw_text(sample_docs):
    seen = 0
    for doc in sample_docs.values():
        for part in doc["parts"]:
            for sec in part["sections"]:
                for item in sec["items"]:
                    for t in item["targets"]:
                        assert item["text"][t["span"][0]:t["span"][1]] == t["raw"]
                        seen += 1
    assert seen > 100


def test_cn_number():
    assert [cn_number(s) for s in ("三", "十", "十五", "二十", "两千五百", "十五万", "三亿五千万")] == [
        3, 10, 15, 20, 2500, 150_000, 350_000_000]
    assert cn_number("abc") is None


def test_cli_output_carries_deadline_and_targets(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("2024年重点工作责任分解\n一、经济发展\n1.新增城镇就业1.2万人。\n牵头单位:县人社局\n完成时限:2024年6月底前\n"
                   "2.持续推进营商环境建设,年底前完成投资50亿元以上。\n牵头单位:县发改局\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "dutysplit", "parse", str(src)], capture_output=True, text=True,
                         check=True)
    doc = json.loads(out.stdout)
    assert doc["schema_version"] == dutysplit.SCHEMA_VERSION
    first, second = doc["parts"][0]["sections"][0]["items"]
    assert first["deadline"] == {"raw": "2024年6月底前", "date": "2024-06-30", "kind": "date", "source": "field"}
    assert [(t["value"], t["unit"]) for t in first["targets"]] == [(12000, "人")]
    assert second["deadline"] == {"raw": "年底前", "date": "2024-12-31", "kind": "date", "source": "text"}
    assert [(t["value"], t["unit"], t["qualifier"]) for t in second["targets"]] == [(5_000_000_000, "元", "以上")]


def test_a_table_column_gives_the_deadline(tmp_path):
    src = tmp_path / "table.txt"
    src.write_text("2023年民生实事项目责任分解\n序号 | 工作任务 | 牵头单位 | 完成时限 |\n1 | 新建口袋公园5个 | 县住建局 | 三季度 |\n"
                   "2 | 改造老旧小区 | 县住建局 | 长期坚持 |\n", encoding="utf-8")
    from dutysplit.api import parse_file_dict

    doc = parse_file_dict(str(src))
    items = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    assert [(it["deadline"]["kind"], it["deadline"]["date"]) for it in items] == [
        ("quarter", "2023-09-30"), ("ongoing", None)]


# ---- the hand count (tests/data/facts_hand.tsv; how it was made: tests/data/facts_review.md)

@pytest.fixture(scope="module")
def scores():
    return score_all()


def test_hand_count_covers_two_samples_and_corpus_files(scores):
    names = [p.rsplit("/", 1)[-1] for p in scores]
    assert sum(n.startswith(("000_", "001_")) for n in names) == 2 and len(names) >= 4


def test_hand_count_floors(scores):
    """Floors a little under the figures measured when this was written (bench/RESULTS.md, section facts):
    a regression fails, a change that helps can raise them."""
    from collections import Counter

    d, t = Counter(), Counter()
    for s in scores.values():
        d += s["deadline"]
        t += s["targets"]
    print("\n" + report(scores))
    dp, dr = pr(d)
    tp, tr = pr(t)
    assert dp >= 0.85 and dr >= 0.72, (dp, dr)
    assert tp >= 0.96 and tr >= 0.94, (tp, tr)
    assert t["qualifier"] >= 0.9 * t["correct"]
    samples = [s for p, s in scores.items() if p.startswith("samples/")]
    assert all(pr(s["deadline"])[0] >= 0.95 and pr(s["targets"])[1] >= 0.95 for s in samples)


# ---- linear time

def _best(fn, arg, runs=3, limit=None):
    """Best of ``runs`` timings (GC off while timing); stops early once a run is within ``limit``."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn(arg)
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
        if limit is not None and best <= limit:
            break
    return best


def _both(text):
    targets(text)
    deadline(text, [{"name": FIELD, "kind": "deadline", "value": text, "line": 1}], 2024)


@pytest.mark.parametrize("unit", [
    "新增城镇就业1.2万人,增长6%左右,2024年6月底前完成,持续推进。", "1", "一", "2024年", "持续", "1个", "1月",
    "-1", "“三", "十", "年年", "8%-",
])
def test_facts_are_linear(unit):
    """8x the text costs at most 12x the time (as tests/test_linear.py: the base grows until it is timeable)."""
    base = 1000
    while (small := _best(_both, unit * base)) < 0.02:
        base *= 2
    big = _best(_both, unit * base * 8, runs=6, limit=12 * small)  # a loaded machine: a few more tries
    assert big <= 12 * small, (base, small, big)


def test_hand_file_shape():
    """Every row of the hand file: a file, a key, a deadline kind of the documented set; 191 tasks."""
    lines = [ln for ln in (ROOT / "tests/data/facts_hand.tsv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")][1:]
    kinds = {ln.split("\t")[3] for ln in lines}
    assert kinds <= {"none", "date", "quarter", "year", "ongoing"} and len(lines) == 191


def test_parse_imports_no_heavy_library():
    """The facts pass keeps `dutysplit parse` light: none of the optional libraries is imported, nor any
    reader of Word, HTML, PDF or Excel (nor zipfile, which only a Word or Excel file needs)."""
    code = ("import sys\nfrom dutysplit.cli import main\ntry:\n    main(['parse', '-q', {!r}])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rich', 'rapidfuzz', 'openpyxl', 'pydantic', 'yaml', 'docx', 'selectolax', "
            "'pdfplumber', 'lxml', 'zipfile', 'dutysplit.read.docx', 'dutysplit.read.html', 'dutysplit.read.pdf', "
            "'dutysplit.read.xlsx') if m in sys.modules), "
            "file=sys.stderr)\n").format(str(ROOT / "samples" / "002_943b2e701313101a.txt"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip() == "[]", out.stderr
