"""Parser and resolver behaviour on small made-up documents (one rule per test)."""
from __future__ import annotations

import pytest

from dutysplit.api import parse_text_dict
from dutysplit.emit import clause_rows


def rows(text: str):
    return [r[:6] for r in clause_rows(parse_text_dict(text))]


def items(text: str):
    doc = parse_text_dict(text)
    return [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]


HEAD = "一、张三县长牵头重点工作\n"


def test_dotless_number_in_sequence_is_a_task():
    t = HEAD + "1.任务一。\n责任单位:县财政局\n2积极开发产品。\n责任单位:县文广旅体局\n"
    assert [it["label"] for it in items(t)] == ["1", "2"]
    assert items(t)[1]["text"] == "积极开发产品。"


def test_dotless_number_after_a_lost_task_is_read_when_the_next_number_confirms_it():
    # task 2 was lost (and 3 lost its separator): 3 is read as 3, with a gap warning
    t = HEAD + "1.任务一。\n责任单位:县财政局\n3积极开发产品。\n责任单位:县文广旅体局\n4.任务四。\n责任单位:县财政局\n"
    assert [it["label"] for it in items(t)] == ["1", "3", "4"]
    assert "item_number_gap" in {d["code"] for d in parse_text_dict(t)["diagnostics"]}


def test_an_unnumbered_task_in_a_numbered_list_keeps_labels_unique():
    t = HEAD + "1.任务一。\n责任单位:县财政局\n2.任务二。\n责任单位:县财政局\n开发产品。\n责任单位:县文广旅体局\n" \
               "再开发产品。\n责任单位:县文广旅体局\n"
    assert [it["label"] for it in items(t)] == ["1", "2", "2.1", "2.2"]
    t = "一、民生实事\n开发产品。\n责任单位:县文广旅体局\n再开发产品。\n责任单位:县财政局\n"
    assert [it["label"] for it in items(t)] == ["1", "2"]


def test_a_label_written_twice_in_a_section_is_made_unique_with_a_warning():
    # a table after a prose task under one heading: both number from 1
    t = ("一、县财政局\n1.任务\n责任单位:县局\n序号 | 重点工作 | 牵头单位 |\n1 | 扩大有效投资 | 区发改局 |\n"
         "2 | 优化营商环境 | 区政务服务中心 |\n")
    doc = parse_text_dict(t)
    assert [it["label"] for it in items(t)] == ["1", "1-2", "2"]
    assert [d["code"] for d in doc["diagnostics"]].count("item_label_repeated") == 1


def test_a_repeated_task_line_is_not_a_damaged_number():
    t = HEAD + "1.甲。\n责任单位:县发改局\n2.乙。\n2.乙。\n责任单位:县财政局\n4.丁。\n责任单位:县财政局\n"
    assert [it["label"] for it in items(t)] == ["1", "2", "4"]


def test_task_starting_with_a_year_is_task_one():
    t = "一、保障公共安全\n1.2024 年充电桩改造工程。\n责任单位:县住建局\n"
    it = items(t)[0]
    assert it["number"] == 1 and it["text"].startswith("2024年")


def test_wrapped_line_starting_with_a_figure_is_not_a_task():
    t = HEAD + "1.全年完成投资\n\n2.5亿元以上。\n责任单位:县发改局\n2.第二项。\n责任单位:县财政局\n"
    its = items(t)
    assert [it["label"] for it in its] == ["1", "2"]
    assert its[0]["text"] == "全年完成投资2.5亿元以上。"


def test_quantity_after_a_number_is_not_a_dotless_task():
    t = HEAD + "1.第一项。\n责任单位:县财政局\n2个示范岛完成验收。\n"
    assert [it["label"] for it in items(t)] == ["1"]


def test_wrapped_text_is_joined_without_inserting_characters():
    t = HEAD + "1.实施数字经济发展三年行动计划，推动数字经济与实体\n\n经济加快融合。\n责任单位:县经信局\n"
    assert items(t)[0]["text"] == "实施数字经济发展三年行动计划，推动数字经济与实体经济加快融合。"


def test_unit_split_over_lines_is_joined():
    t = HEAD + "1.任务。\n责任单位：县投促中心、县交通运\n\n输局、县农业农村局\n"
    assert rows(t)[0][5] == "县投促中心|县交通运输局|县农业农村局"


def test_break_between_two_whole_names_gets_a_separator():
    t = HEAD + "1.任务。\n责任单位：县财政局\n县税务局\n"
    assert rows(t)[0][5] == "县财政局|县税务局"


def test_unit_brackets_kept_and_separators_groups_and_trailing_stop_removed():
    t = HEAD + "1.任务。\n责任单位:市财政局(国资委)、市税务局,各乡镇(街道、园区)；县委办。\n"
    assert rows(t)[0][4:6] == ("市财政局(国资委)", "市财政局(国资委)|市税务局|各乡镇(街道、园区)|县委办")


def test_declared_first_listed_convention():
    t = HEAD + "1.任务。\n责任单位：县财政局、县税务局（排位第一的为牵头单位，下同）\n"
    doc = parse_text_dict(t)
    assert doc["convention"] == {"rule": "first-listed", "declared": True,
                                 "text": "（排位第一的为牵头单位，下同）", "line": 3}
    assert rows(t)[0][4:6] == ("县财政局", "县财政局|县税务局")


def test_marked_convention_with_marks():
    t = HEAD + "1.任务。\n责任单位:县发改局、*县经信局、★县财政局(标*者为牵头单位,下同)\n"
    assert rows(t)[0][4:6] == ("县经信局|县财政局", "县发改局|县经信局|县财政局")
    assert not any(d["code"] == "marks_lost" for d in parse_text_dict(t)["diagnostics"])


def test_marked_convention_without_marks_falls_back_with_a_diagnostic():
    t = HEAD + "1.任务。\n责任单位:县发改局、县经信局。(标者为牵头或汇总单位,下同)\n"
    doc = parse_text_dict(t)
    assert doc["convention"]["rule"] == "marked"
    assert rows(t)[0][4] == "县发改局"
    assert [d["code"] for d in doc["diagnostics"]] == ["marks_lost"]


def test_each_leads_marker():
    t = HEAD + "1.任务。\n责任单位:区人社局、区农业农村局分别牵头\n"
    assert rows(t)[0][4:6] == ("区人社局|区农业农村局", "区人社局|区农业农村局")


def test_no_convention_is_assumed_first_listed():
    t = HEAD + "1.任务。\n责任单位:县发改局、县经信局\n"
    doc = parse_text_dict(t)
    assert doc["convention"]["rule"] == "none" and doc["convention"]["declared"] is False
    assert rows(t)[0][4] == "县发改局"
    assert "lead_assumed" in [d["code"] for d in doc["diagnostics"]]


def test_joint_section_hands_its_units_down():
    t = "九、各乡镇(街道、园区)、县级机关各部门共同落实工作\n1.坚持忠诚为民。\n2.坚持实干争先。\n"
    doc = parse_text_dict(t)
    sec = doc["parts"][0]["sections"][0]
    assert sec["kind"] == "joint" and sec["units"] == ["各乡镇(街道、园区)", "县级机关各部门"]
    for it in sec["items"]:
        c = it["clauses"][0]
        assert c["inherited"] is True and c["lead"] is None
        assert [u["name"] for u in c["units"]] == sec["units"]


def test_inline_statements_make_clauses():
    t = ("三、工作任务\n(一)聚力城乡一体。\n1. 深化打造。启动编制方案。(责任单位:县交通运输局)研究新路径。"
         "(责任单位:县文广旅体局、嵊山镇)\n2. 提升品质。(责任单位:县发改局)\n")
    its = items(t)
    assert [len(it["clauses"]) for it in its] == [2, 1]
    assert its[0]["clauses"][1]["text"] == "研究新路径。"
    assert its[0]["text"] == "深化打造。启动编制方案。研究新路径。"
    assert its[0]["subheading"] == "一"


def test_cn_numbered_paragraph_with_units_is_a_task_and_without_is_a_subheading():
    t = ("四、工作保障\n(一)坚持党的领导。(责任部门:县纪委、县委办)\n(二)形成工作合力。\n责任单位:县委办\n"
         "五、工作任务\n(一)聚力产业。\n1.提振渔业。\n责任单位:县海洋与渔业局\n")
    doc = parse_text_dict(t)
    s4, s5 = doc["parts"][0]["sections"]
    assert [it["label"] for it in s4["items"]] == ["(一)", "(二)"] and s4["subheadings"] == []
    assert [s["label"] for s in s5["subheadings"]] == ["一"] and [it["label"] for it in s5["items"]] == ["1"]


def test_numbering_runs_on_across_subheadings():
    t = ("三、工作任务\n(一)甲。\n1.a。(责任单位:县发改局)\n2.b。(责任单位:县发改局)\n"
         "(二)乙。\n3.c。(责任单位:县发改局)\n")
    assert [it["label"] for it in items(t)] == ["1", "2", "3"]


def test_duplicated_number_is_not_a_second_task():
    t = HEAD + "1.甲。\n责任单位:县发改局\n1.甲。\n责任单位:县发改局\n"
    assert [it["label"] for it in items(t)] == ["1"]


def test_second_list_title_starts_part_two_and_numbering_runs_on():
    t = ("2024年政府工作报告重点工作责任分解\n" + HEAD + "1.甲。\n责任单位:县发改局\n"
         "2024年县民生实事项目责任分解\n一、保障公共安全\n1.乙。\n责任单位:县住建局\n二、改善人居环境\n2.丙。\n责任单位:县民政局\n")
    doc = parse_text_dict(t)
    assert [p["title"] for p in doc["parts"]] == ["2024年政府工作报告重点工作责任分解", "2024年县民生实事项目责任分解"]
    assert [(r[0], r[1], r[2]) for r in rows(t)] == [("1", "一", "1"), ("2", "一", "1"), ("2", "二", "2")]


def test_leaders_parsed_from_headings():
    t = ("一、朱云飞副县长、马梁副县长牵头重点工作\n1.甲。\n责任单位:县发改局\n"
         "二、陈麟(市政府党组成员)牵头重点工作\n1.乙。\n责任单位:县发改局\n"
         "三、赵六常务副市长主抓重点工作\n1.丙。\n责任单位:县发改局\n")
    secs = parse_text_dict(t)["parts"][0]["sections"]
    assert [[(ld["name"], ld["title"]) for ld in s["leaders"]] for s in secs] == [
        [("朱云飞", "副县长"), ("马梁", "副县长")],
        [("陈麟", "市政府党组成员")],
        [("赵六", "常务副市长")],
    ]
    doc = parse_text_dict(t)
    # the document's people, by rank: 常务副市长 before 副县长 before 党组成员
    assert [(p["name"], p["sections"]) for p in doc["leaders"]] == [
        ("赵六", ["1/三"]), ("朱云飞", ["1/一"]), ("马梁", ["1/一"]), ("陈麟", ["1/二"])]
    assert {s["kind"] for s in secs} == {"leader"}


def test_prose_sections_are_kept_as_text():
    t = "一、指导思想\n以习近平新时代中国特色社会主义思想为指导。\n二、工作任务\n1.甲。\n责任单位:县发改局\n"
    s1, s2 = parse_text_dict(t)["parts"][0]["sections"]
    assert s1["kind"] == "prose" and s1["text"] == "以习近平新时代中国特色社会主义思想为指导。"
    assert s2["kind"] == "topic"


def test_notice_signature_and_attachments_are_not_tasks():
    t = ("嵊政办发〔2024〕5号\n某县人民政府办公室关于印发2024年重点工作责任分解的通知\n各乡镇人民政府：\n现印发给你们。\n"
         "某县人民政府办公室\n2024年2月18日\n（此件公开发布）\n2024年重点工作责任分解\n" + HEAD +
         "1.甲。\n责任单位:县发改局\n附件:1. 指标清单\n2. 重点举措清单\n抄送：县委各部门。\n某县人民政府办公室 2024年2月19日印发\n")
    doc = parse_text_dict(t)
    assert len(items(t)) == 1
    m = doc["meta"]
    assert (m["doc_number"], m["issuer"], m["date"], m["year"]) == ("嵊政办发〔2024〕5号", "某县人民政府办公室", "2024-02-18", 2024)
    assert [k["kind"] for k in doc["kept"]] == ["notice", "attachment", "colophon"]


def test_task_without_units_gets_a_warning_and_no_invented_units():
    t = HEAD + "1.甲。\n2.乙。\n责任单位:县财政局\n"
    doc = parse_text_dict(t)
    c = doc["parts"][0]["sections"][0]["items"][0]["clauses"][0]
    assert c["units"] == [] and c["lead"] is None
    assert [(d["code"], d["line"]) for d in doc["diagnostics"]] == [("no_units", 2), ("lead_assumed", None)]


def test_input_ending_before_the_units_is_truncated():
    doc = parse_text_dict(HEAD + "1.甲。\n责任单位:县财政局\n2.乙项工作的文字被截\n")
    assert [(d["code"], d["line"]) for d in doc["diagnostics"] if d["level"] == "warning"] == [("truncated", 4)]
    assert len(items(HEAD + "1.甲。\n责任单位:县财政局\n2.乙项工作的文字被截\n")) == 2


def test_input_ending_inside_the_units_drops_the_fragment_and_says_so():
    doc = parse_text_dict(HEAD + "1.甲。\n责任单位:县财政局、县发改局、市协\n")
    c = doc["parts"][0]["sections"][0]["items"][0]["clauses"][0]
    assert [u["name"] for u in c["units"]] == ["县财政局", "县发改局"]
    assert any(d["code"] == "truncated" and "市协" in d["message"] for d in doc["diagnostics"])
    # a complete last name is kept
    doc = parse_text_dict(HEAD + "1.甲。\n责任单位:县财政局、各乡镇人民政府\n")
    assert [u["name"] for u in doc["parts"][0]["sections"][0]["items"][0]["clauses"][0]["units"]] == ["县财政局", "各乡镇人民政府"]


def test_debris_goes_to_unparsed_with_its_line():
    t = "访问次数:\n" + HEAD + "1.甲。\n—1—\n责任单位:县发改局\n分享到:\n"
    doc = parse_text_dict(t)
    assert [(u["line"], u["reason"]) for u in doc["unparsed"]] == [(1, "debris"), (4, "debris"), (6, "debris")]
    assert items(t)[0]["text"] == "甲。"


def test_repeated_cn_numbered_task_is_not_a_second_task():
    # found by the long hypothesis profile: a duplicated `(一)` line gave two tasks labelled (一)
    t = "四、工作保障\n(一)坚持党的领导。(责任部门:县纪委)\n(一)坚持党的领导。(责任部门:县纪委)\n(二)形成合力。(责任部门:县委办)\n"
    doc = parse_text_dict(t)
    assert [it["label"] for it in doc["parts"][0]["sections"][0]["items"]] == ["(一)", "(二)"]
    assert "item_out_of_sequence" in [d["code"] for d in doc["diagnostics"]]


def test_signature_block_at_the_end_is_metadata_not_units():
    # found by a user test: the signing offices were glued onto the last units line
    t = ("2025年民生实事责任分解\n1.新建养老服务中心2个。\n责任单位:县民政局\n\n"
         "中共某县委办公室\n某县人民政府办公室\n2025年3月5日\n")
    doc = parse_text_dict(t)
    assert rows(t)[0][5] == "县民政局"
    assert (doc["meta"]["issuer"], doc["meta"]["date"]) == ("中共某县委办公室", "2025-03-05")


def test_chinese_numeral_date():
    t = "1.甲。\n责任单位:县交通局\n\n某县人民政府办公室\n二〇二五年三月五日\n"
    doc = parse_text_dict(t)
    assert rows(t)[0][5] == "县交通局" and doc["meta"]["date"] == "2025-03-05"


def test_no_text_without_units_note_for_a_trailing_full_stop():
    doc = parse_text_dict(HEAD + "1.任务甲(市政务服务局牵头,市发改局配合)。\n")
    assert "text_without_units" not in [d["code"] for d in doc["diagnostics"]]


def test_layout_table_reads_tasks_only_from_tables():
    t = HEAD + "1.甲。\n责任单位:县发改局\n"
    assert items(t) and parse_text_dict(t, layout="table")["parts"][0]["sections"][0]["items"] == []


@pytest.mark.parametrize("title", ["2025年重点工作责任分解表", "2025年重点工作分工", "2025年工作要点分解"])
def test_more_list_titles(title):
    assert parse_text_dict(title + "\n" + HEAD + "1.甲。\n责任单位:县发改局\n")["meta"]["title"] == title


def test_verbs_and_prose_words_are_read_in_either_script_and_through_glosses():
    from dutysplit.statements import read_verbal
    from dutysplit.statements.verbal import _prose_start

    st = read_verbal("市財政局牽(qiān)頭,市稅務局配(pèi)合")
    assert [(u.name, u.role) for u in st.units] == [("市財政局", "lead"), ("市稅務局", "support")]
    st = _prose_start("市財政局為牽(qiān)頭單位")
    assert [(u.name, u.role) for u in st.units] == [("市財政局", "lead")]
