"""Every layout family of LAYOUTS.md: small made-up documents, and the real excerpts of tests/data/wild.

The wild counts come from an independent hand review (tests/data/wild_review.md), not from the parser.
"""
from __future__ import annotations

import csv

import pytest

from dutysplit.api import parse_file_dict, parse_text_dict
from dutysplit.audit import lossless_problems

from .conftest import ROOT

WILD = ROOT / "tests" / "data" / "wild"


def clauses(text: str):
    doc = parse_text_dict(text)
    return [c for p in doc["parts"] for s in p["sections"] for it in s["items"] for c in it["clauses"]]


def roles(c):
    return [(u["name"], u["role"]) for u in c["units"]]


HEAD = "一、王五县长牵头重点工作\n"


def test_A_units_line_with_each_leads_exception():
    t = ("一、主要预期目标\n1.甲。\n责任单位:市发改委、市经信局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)\n"
         "2.乙。\n责任单位:市人力社保局、市农业农村局分别牵头\n")
    c1, c2 = clauses(t)
    assert roles(c1) == [("市发改委", "lead"), ("市经信局", "participant")]
    assert roles(c2) == [("市人力社保局", "lead"), ("市农业农村局", "lead")]
    assert parse_text_dict(t)["convention"]["rule"] == "first-listed"


def test_C_lead_line_and_units_line():
    t = HEAD + "1.规上工业增加值增长6%左右。\n牵头单位:区工信局\n责任单位:开发区管委会,各街道\n"
    (c,) = clauses(t)
    assert roles(c) == [("区工信局", "lead"), ("开发区管委会", "participant"), ("各街道", "participant")]
    assert c["lead"] == "区工信局"


def test_C_lead_named_again_among_units_is_reported_once():
    t = HEAD + "1.甲。\n责任单位:区农业农村局、区发改局\n牵头单位:区发改局\n"
    (c,) = clauses(t)
    assert roles(c) == [("区农业农村局", "participant"), ("区发改局", "lead")]


def test_D_lead_line_and_support_line():
    t = HEAD + "1.甲。\n牵头单位:市财政局\n配合单位:市住建局、市税务局等市级有关部门\n"
    (c,) = clauses(t)
    assert roles(c) == [("市财政局", "lead"), ("市住建局", "support"), ("市税务局", "support"),
                        ("市级有关部门", "support")]


def test_E_leader_line_per_task_and_division_sentence():
    t = ("一、重点工作\n1.甲。\n牵头市领导:张三\n责任单位:市发改委、市经信局\n"
         "2.乙。\n分管省领导:李四、王五\n部门分工:省发展改革委牵头,各地、各部门配合。\n")
    doc = parse_text_dict(t)
    it1, it2 = doc["parts"][0]["sections"][0]["items"]
    assert [(ld["name"], ld["title"]) for ld in it1["leaders"]] == [("张三", None)]
    assert [ld["name"] for ld in it2["leaders"]] == ["李四", "王五"]
    assert roles(it2["clauses"][0]) == [("省发展改革委", "lead"), ("各地", "support"), ("各部门", "support")]


def test_F_inline_leader_and_lead_in_round_brackets():
    t = HEAD + "1.推进乡村振兴。(责任领导:张三、李四;牵头单位:区发改局、区农业农村局)\n"
    doc = parse_text_dict(t)
    it = doc["parts"][0]["sections"][0]["items"][0]
    assert [ld["name"] for ld in it["leaders"]] == ["张三", "李四"]
    assert roles(it["clauses"][0]) == [("区发改局", "lead"), ("区农业农村局", "lead")]
    assert it["text"] == "推进乡村振兴。"


def test_G_square_brackets_around_units_with_round_brackets():
    t = HEAD + "1.抓好疫情防控。[牵头单位:县发改局(粮食局);责任单位:区指挥部成员单位、各街办(新区)]\n"
    (c,) = clauses(t)
    assert roles(c) == [("县发改局(粮食局)", "lead"), ("区指挥部成员单位", "participant"), ("各街办(新区)", "participant")]


def test_H_full_width_brackets_and_comma_between_labels():
    t = HEAD + "1.扩大消费。（牵头单位：市商务局，配合单位：市人社局、市工商联，各区）\n"
    (c,) = clauses(t)
    assert roles(c) == [("市商务局", "lead"), ("市人社局", "support"), ("市工商联", "support"), ("各区", "support")]


@pytest.mark.parametrize("bracket,expected", [
    ("(区政务服务局牵头,区发改局、区审改办配合)", [("区政务服务局", "lead"), ("区发改局", "support"), ("区审改办", "support")]),
    ("(省农业厅牵头)", [("省农业厅", "lead")]),
    ("(省发改委、省文化厅等负责)", [("省发改委", "lead"), ("省文化厅", "participant")]),
    ("(国务院各部门分别负责,年内持续推进)", [("国务院各部门", "lead")]),
    ("〔责任单位:省市场监管局〕", [("省市场监管局", "lead")]),
    ("(市政府辦公室牽頭,市級各有關部門按職責分工負責)", [("市政府辦公室", "lead"), ("市級各有關部門", "participant")]),
])
def test_I_verb_style(bracket, expected):
    (c,) = clauses(HEAD + f"1.推进改革。{bracket}\n")
    assert roles(c) == expected


def test_I_verb_style_note_and_ordinary_remarks_stay_text():
    doc = parse_text_dict(HEAD + "1.提高效率(不含6亩)。(国务院各部门分别负责,年内持续推进)\n")
    item = doc["parts"][0]["sections"][0]["items"][0]
    (c,) = item["clauses"]
    assert [(f["kind"], f["value"]) for f in item["fields"]] == [("deadline", "年内持续推进")]
    assert c["text"] == "提高效率(不含6亩)。"


def test_I_several_statements_per_paragraph():
    cs = clauses(HEAD + "1.甲。(省农业厅牵头)乙。(省发改委、省财政厅负责)\n")
    assert [c["text"] for c in cs] == ["甲。", "乙。"] and [c["lead"] for c in cs] == ["省农业厅", "省发改委"]


def test_J_all_labels_on_one_line():
    t = HEAD + "1.稳外贸。\n责任领导:王五;责任单位:外贸局、发改局;配合单位:相关镇街,有关部门。\n"
    doc = parse_text_dict(t)
    it = doc["parts"][0]["sections"][0]["items"][0]
    assert [(ld["name"], ld["title"]) for ld in it["leaders"]] == [("王五", None)]
    assert roles(it["clauses"][0]) == [("外贸局", "lead"), ("发改局", "participant"), ("相关镇街", "support"),
                                       ("有关部门", "support")]


def test_K4_key_value_rows_with_pipes():
    t = HEAD + "1.市容整治。\n牵头单位: | 市执法局 |\n配合单位: | 市住建局、各区 |\n完成时限: | 2024年6月底前 |\n"
    doc = parse_text_dict(t)
    it = doc["parts"][0]["sections"][0]["items"][0]
    assert roles(it["clauses"][0]) == [("市执法局", "lead"), ("市住建局", "support"), ("各区", "support")]
    assert [(f["name"], f["kind"], f["value"]) for f in it["fields"]] == [("完成时限", "deadline", "2024年6月底前")]


def test_fields_lines_are_kept_on_the_task():
    t = HEAD + "1.甲。\n责任单位:区发改局\n完成时限:2024年6月底前\n完成情况:上半年 , 全区 GDP 增长 5. 4 % 。\n"
    it = parse_text_dict(t)["parts"][0]["sections"][0]["items"][0]
    assert [(f["kind"], f["value"]) for f in it["fields"]] == [
        ("deadline", "2024年6月底前"), ("status", "上半年,全区 GDP 增长5.4%。")]  # extraction spaces removed


def test_marks_star_lead():
    t = HEAD + "1.甲。\n责任单位:县发改局、★县经信局(标★者为牵头单位)\n"
    (c,) = clauses(t)
    assert c["lead"] == "县经信局" and parse_text_dict(t)["convention"]["rule"] == "marked"


def test_section_topics_subheadings_and_running_numbers():
    t = ("一、全力统筹疫情防控\n(一)坚持常态化疫情防控\n1、甲。[牵头单位:区卫健局]\n2、乙。[牵头单位:区卫健局]\n"
         "(二)全面恢复经济社会秩序\n3、丙。[牵头单位:区发改局]\n")
    doc = parse_text_dict(t)
    sec = doc["parts"][0]["sections"][0]
    assert [(it["label"], it["subheading"]) for it in sec["items"]] == [("1", "一"), ("2", "一"), ("3", "二")]


# ------------------------------------------------------------------------------------------------
# the real excerpts

COUNTS = {r["file"]: r for r in csv.DictReader(open(ROOT / "tests/data/wild_counts.tsv", encoding="utf-8"), delimiter="\t")}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_wild_excerpt(name):
    path = WILD / f"{name}.txt"
    doc = parse_file_dict(str(path))
    assert lossless_problems(doc, path.read_text(encoding="utf-8")) == []
    assert not [d for d in doc["diagnostics"] if d["level"] == "error"]
    items = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    with_units = [it for it in items if any(c["units"] for c in it["clauses"])]
    assert len(with_units) == int(COUNTS[name]["tasks_with_units"])
    truncated = [d for d in doc["diagnostics"] if d["code"] == "truncated"]
    assert len(items) - len(with_units) == int(COUNTS[name]["truncated_without_units"])
    if int(COUNTS[name]["truncated_without_units"]):
        assert truncated


@pytest.mark.parametrize("text,layout", [
    (HEAD + "1.甲。\n责任单位:县发改局\n", "units_line"),
    (HEAD + "1.甲。\n牵头单位:区工信局\n责任单位:各街道\n", "lead_line"),
    (HEAD + "1.甲。\n牵头单位:市财政局\n配合单位:市住建局\n", "lead_line"),
    ("一、重点工作\n1.甲。\n牵头市领导:张三\n责任单位:市发改委\n", "leader_line"),
    (HEAD + "1.甲。\n责任领导:王五;责任单位:外贸局\n", "multi_label"),
    (HEAD + "1.甲。(区政务服务局牵头,区发改局配合)\n", "inline_verb"),
    (HEAD + "1.甲。\n", "numbered"),
])
def test_layout_is_detected_and_recorded(text, layout):
    doc = parse_text_dict(text)
    assert doc["layout"] == layout and doc["parts"][0]["layout"] == layout


def test_layout_can_be_forced_when_detection_is_wrong():
    text = HEAD + "1.甲(省农业厅牵头)。\n责任单位:县发改局\n"
    auto = clauses(text)
    assert [c["lead"] for c in auto] == ["省农业厅", "县发改局"]
    forced = [c for p in parse_text_dict(text, layout="lines")["parts"] for s in p["sections"] for it in s["items"]
              for c in it["clauses"]]
    assert [(c["text"], c["lead"]) for c in forced] == [("甲(省农业厅牵头)。", "县发改局")]


def test_table_with_a_lead_column_never_guesses_a_missing_lead():
    doc = parse_file_dict(str(WILD / "w03.txt"))
    items = {it["label"]: it for p in doc["parts"] for s in p["sections"] for it in s["items"]}
    c1 = items["1"]["clauses"][0]
    assert c1["lead"] == "区发改局" and [u["name"] for u in c1["units"]].index("区发改局") == 4
    c14 = items["14"]["clauses"][0]  # its 牵头单位 cell is cut off
    assert c14["lead"] is None and {u["role"] for u in c14["units"]} == {"participant"}
    assert "lead_missing" in [d["code"] for d in doc["diagnostics"]]
    assert "lead_assumed" not in [d["code"] for d in doc["diagnostics"]]  # leads came from the column
    assert [s["kind"] for p in doc["parts"] for s in p["sections"]] == ["topic", "topic"]


@pytest.mark.parametrize("name", ["w04", "w05", "w11", "w15", "w16"])
def test_lead_assumed_only_when_a_lead_was_assumed(name):
    doc = parse_file_dict(str(WILD / f"{name}.txt"))
    assert "lead_assumed" not in [d["code"] for d in doc["diagnostics"]]


def test_metadata_with_spaced_keys_and_page_lines():
    m = parse_file_dict(str(WILD / "w04.txt"))["meta"]
    assert (m["index_no"], m["published"], m["issuer"]) == ("000014349/2020-105482", "2020-06-28", "下陆区政府办公室")
    assert m["notice_title"].startswith("区人民政府办公室关于印发")
    m = parse_file_dict(str(WILD / "w01.txt"))["meta"]
    assert (m["published"], m["issuer"]) == ("2023-07-11", "丽水市政府")
    assert parse_file_dict(str(WILD / "w16.txt"))["meta"]["year"] == 2020  # from the news lead
    assert parse_file_dict(str(WILD / "w14.txt"))["meta"]["title"] == "市政府2020年重点工作(预下达)一季度进展情况表"


def test_page_debris_goes_to_unparsed():
    doc = parse_file_dict(str(WILD / "w13.txt"))
    assert [u["line"] for u in doc["unparsed"]] == [1, 2, 3, 4, 5, 6]  # the sidebar of another site
    doc = parse_file_dict(str(WILD / "w04.txt"))
    assert [u["line"] for u in doc["unparsed"]] == [1, 2, 3, 4]  # 设为首页, 加入收藏 …
