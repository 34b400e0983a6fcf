"""A known pair for `dutysplit diff`: sample 002 (嵊泗 2024) as last year's list, and the same list edited as
next year's could be: tasks deleted, added, reworded, given to another lead unit, given other units, moved
to another section. Every edit is a replacement of exact lines of the source text, so what the diff must
find is known without running it.

``python tests/diffpair.py OUT_DIR`` writes old.txt and new.txt (to look at them, or to time them).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "002_943b2e701313101a.txt"

# each edit: (kind, old lines, new lines); lines are matched exactly, once
EDITS = [
    ("removed", "4.强化政府性债务管理，守住不发生系统性风险底线。\n\n责任单位：县财政局\n", ""),
    ("removed", "16.做深做实东西部协作。\n\n责任单位：县发改局、县经信局、县民政局、县财政局、县人力社保局、县文广旅体局、"
                "县总工会、其他对口工作责任单位\n", ""),
    ("removed", "24.扎实做好海防打私工作。\n\n责任单位：县府办、县公安局、县市场监督管理局、县海洋与渔业局、嵎泗海事处、"
                "海警嵎泗工作站、市港航事业发展中心嵎泗分中心、各乡镇人民政府。\n", ""),
    ("added", "责任单位：县安委办、各专委办、县资源规划局、县气象局\n",
     "责任单位：县安委办、各专委办、县资源规划局、县气象局\n\n7.推进县级财政预算绩效管理改革，实现预算绩效评价覆盖率100%。\n\n"
     "责任单位：县财政局、县审计局\n"),
    ("added", "28.压实食品安全“两个责任”，创成省级放心消费示范县，着力营造安全放心消费环境。\n\n责任单位：县市场监督管理局\n",
     "28.压实食品安全“两个责任”，创成省级放心消费示范县，着力营造安全放心消费环境。\n\n责任单位：县市场监督管理局\n\n"
     "29.建设海洋牧场数字监测平台，接入马鞍列岛海域监测浮标，年底前投入使用。\n\n责任单位：县海洋与渔业局、县大数据管理中心\n"),
    ("text", "8.高质量完成第五次全国经济普查入户登记工作。", "8.高质量完成第五次全国经济普查数据审核与成果发布工作。"),
    ("text", "16.积极参与沪舟跨海大通道前期工作。", "16.积极参与沪舟甬跨海大通道前期研究和方案论证工作。"),
    ("text deadline", "6.全力推进全民健身中心建设。", "6.全力推进全民健身中心建设，年底前主体结顶。"),
    ("lead", "责任单位：县洋管中心、县投促中心、洋山镇人民政府", "责任单位：县投促中心、县洋管中心、洋山镇人民政府"),
    ("lead units", "6.积极推进县辖海域捕捞产权化改革。\n\n责任单位：县海洋与渔业局、各乡镇人民政府",
     "6.积极推进县辖海域捕捞产权化改革。\n\n责任单位：县资源规划局、县海洋与渔业局、各乡镇人民政府"),
    ("units", "11.实施“质量强县”战略，引领全县各行各业加强质量管理。\n\n责任单位：县市场监督管理局",
     "11.实施“质量强县”战略，引领全县各行各业加强质量管理。\n\n责任单位：县市场监督管理局、县发改局"),
    ("targets text", "7.持续推进市场主体“双倍增”行动,加快“个转企”“小升规”和“四上”企业培育入库,全年净增“四上”单位55家以上。",
     "7.持续推进市场主体“双倍增”行动,加快“个转企”“小升规”和“四上”企业培育入库,全年净增“四上”单位60家以上。"),
    # moved: 五/8 goes to the end of section 二 (as its 34th task)
    ("section", "8.扎实做好国家安全工作。\n\n责任单位：县国安局\n", ""),
    ("section", "33.扎实做好国防动员工作。\n\n责任单位：县国动办、其他县国动委成员单位\n",
     "33.扎实做好国防动员工作。\n\n责任单位：县国动办、其他县国动委成员单位\n\n34.扎实做好国家安全工作。\n\n责任单位：县国安局\n"),
]

# what the diff must report, by task text (the old text → the new text for the edited ones)
REMOVED = {"强化政府性债务管理，守住不发生系统性风险底线。", "做深做实东西部协作。", "扎实做好海防打私工作。"}
ADDED = {"推进县级财政预算绩效管理改革，实现预算绩效评价覆盖率100%。",
         "建设海洋牧场数字监测平台，接入马鞍列岛海域监测浮标，年底前投入使用。"}
CHANGED = {  # old text: (new text, changes)
    "高质量完成第五次全国经济普查入户登记工作。": ("高质量完成第五次全国经济普查数据审核与成果发布工作。", {"text"}),
    "积极参与沪舟跨海大通道前期工作。": ("积极参与沪舟甬跨海大通道前期研究和方案论证工作。", {"text"}),
    "全力推进全民健身中心建设。": ("全力推进全民健身中心建设，年底前主体结顶。", {"text", "deadline"}),
    "做强洋山海事服务基地，加快推进甲醇加注中心建设。": ("做强洋山海事服务基地，加快推进甲醇加注中心建设。", {"lead"}),
    "积极推进县辖海域捕捞产权化改革。": ("积极推进县辖海域捕捞产权化改革。", {"lead", "units"}),
    "实施“质量强县”战略，引领全县各行各业加强质量管理。": ("实施“质量强县”战略，引领全县各行各业加强质量管理。", {"units"}),
    "持续推进市场主体“双倍增”行动,加快“个转企”“小升规”和“四上”企业培育入库,全年净增“四上”单位55家以上。": (
        "持续推进市场主体“双倍增”行动,加快“个转企”“小升规”和“四上”企业培育入库,全年净增“四上”单位60家以上。",
        {"text", "targets"}),
    "扎实做好国家安全工作。": ("扎实做好国家安全工作。", {"section"}),
}


def make_pair() -> tuple[str, str]:
    old = SOURCE.read_text(encoding="utf-8").replace("\r\n", "\n")
    new = old
    for kind, before, after in EDITS:
        assert new.count(before) == 1, (kind, before)
        new = new.replace(before, after)
    return old, new


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    old, new = make_pair()
    (out / "old.txt").write_text(old, encoding="utf-8")
    (out / "new.txt").write_text(new, encoding="utf-8")


def cut_to_tasks(text: str, n: int) -> str:
    """``text`` up to (not including) the first line of its task number ``n + 1``: a document of ``n`` tasks."""
    from dutysplit.api import parse_text_dict

    doc = parse_text_dict(text)
    firsts = sorted(it["lines"][0] for p in doc["parts"] for s in p["sections"] for it in s["items"])
    if len(firsts) <= n:
        return text
    return "\n".join(text.split("\n")[:firsts[n] - 1]) + "\n"


def large_pair(n: int = 200) -> tuple[str, str]:
    """Two documents of ``n`` tasks: sample 004 then sample 002 (cut after ``n`` tasks), and sample 004 then
    the edited 002 (cut the same way)."""
    old, new = make_pair()
    head = (ROOT / "samples" / "004_2fb903112776d0b8.txt").read_text(encoding="utf-8").replace("\r\n", "\n")
    return cut_to_tasks(head + "\n" + old, n), cut_to_tasks(head + "\n" + new, n)
