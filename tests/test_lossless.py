"""Every non-blank input line lands in exactly one place of the output."""
from __future__ import annotations

import pytest

from dutysplit.api import parse_text_dict
from dutysplit.audit import lossless_problems

from .conftest import SAMPLES

# What `unparsed` holds for each sample: web debris only (line numbers).
EXPECTED_UNPARSED = {
    "000": {36: "访问次数:", 38: "字体大小:"},
    "001": {40: "访问次数:", 42: "字体大小:"},
    "002": {},
    "003": {1: "县本级非规范性文件", 2: "当前位置:首页 > 信息公开 >", 585: "扫一扫在手机打开当前页", 586: "分享到:"},
    "004": {},
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_lossless(sample, sample_docs):
    text = sample.read_text(encoding="utf-8")
    assert lossless_problems(sample_docs[sample.name], text) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_unparsed_is_only_debris(sample, sample_docs):
    unparsed = sample_docs[sample.name]["unparsed"]
    assert {u["line"]: u["text"] for u in unparsed} == EXPECTED_UNPARSED[sample.stem[:3]]
    assert all(u["reason"] == "debris" for u in unparsed)


def test_the_check_catches_a_dropped_line(sample_docs):
    doc = parse_text_dict("一、张三县长牵头重点工作\n1.任务一。\n责任单位:县财政局\n")
    assert lossless_problems(doc, "一、张三县长牵头重点工作\n1.任务一。\n责任单位:县财政局\n") == []
    # a line the output does not account for is reported
    assert lossless_problems(doc, "一、张三县长牵头重点工作\n1.任务一。\n责任单位:县财政局\n多出来的一行\n") == [
        "line 4: nowhere"
    ]
    doc["unparsed"].append({"line": 2, "text": "x", "reason": "unrecognised"})
    assert lossless_problems(doc, "一、张三县长牵头重点工作\n1.任务一。\n责任单位:县财政局\n")[0].startswith("line 2:")
