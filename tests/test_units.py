"""Unit names: canonical names, kinds, jurisdictions, confusables, typo hints, alias files, titles."""
from __future__ import annotations

from pathlib import Path

import pytest

from dutysplit.api import parse_file_dict

from .conftest import ROOT
from dutysplit.units import (canonical, fix_confusables, jurisdiction, kind, load_aliases, normalise_title,
                             title_rank, typo_suggestions)

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


def _clause_units(doc: dict) -> list[str]:
    """Every unit name of every clause, as written (with repeats)."""
    out: list[str] = []

    def walk(o):
        if isinstance(o, dict):
            for c in o.get("clauses") or ():
                out.extend(u["name"] for u in c["units"])
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(doc["parts"])
    return out


@pytest.fixture(scope="module")
def sample_units() -> dict[str, tuple[str | None, list[str]]]:
    """sample file name → (issuer, unit names with repeats)."""
    out = {}
    for p in SAMPLES:
        d = parse_file_dict(str(p))
        out[p.name] = (d["meta"]["issuer"], _clause_units(d))
    return out


# ---------------------------------------------------------------------------------------------------
# canonical: rule families


@pytest.mark.parametrize("raw, want", [
    # health
    ("县卫健局", "县卫生健康局"), ("市卫健局", "市卫生健康局"), ("区卫健局", "区卫生健康局"),
    ("省卫健局", "省卫生健康局"), ("旗卫健局", "旗卫生健康局"), ("州卫健局", "州卫生健康局"),
    ("嵊泗县卫健局", "嵊泗县卫生健康局"), ("定海区卫健局", "定海区卫生健康局"),
    ("浙江省舟山市卫健局", "浙江省舟山市卫生健康局"), ("卫健局", "卫生健康局"),
    ("市卫生健康委员会", "市卫健委"),
    # human resources and social security
    ("县人社保局", "县人力社保局"), ("市人社局", "市人力社保局"), ("县人力资源和社会保障局", "县人力社保局"),
    # market regulation
    ("县市监局", "县市场监管局"), ("县市场监督管理局", "县市场监管局"), ("市市监局", "市市场监管局"),
    ("市场监督管理局", "市场监管局"),
    # the government's office
    ("县政府办", "县府办"), ("县政府办公室", "县府办"), ("嵊泗县人民政府办公室", "嵊泗县府办"),
    # other offices
    ("县海洋渔业局", "县海洋与渔业局"), ("县自然资源和规划局", "县资源规划局"), ("县政务办", "县政务服务办"),
    ("县医疗保障局", "县医保局"), ("市应急局", "市应急管理局"), ("市交通局", "市交通运输局"),
    ("县供销联社", "县供销社"), ("县精神文明指导中心", "县精神文明建设指导中心"),
    ("县发展和改革局", "县发改局"), ("县经济和信息化局", "县经信局"),
    ("市发展改革委", "市发改委"), ("省发展和改革委员会", "省发改委"),
    # patterns
    ("国网县供电公司", "县供电公司"), ("国网嵊泗县供电公司", "嵊泗县供电公司"),
    ("县委县政府信访局", "县信访局"), ("嵊泗县委嵊泗县人民政府信访局", "嵊泗县信访局"),
    # brackets: width, and each part on its own
    ("县民政局（退役军人事务局）", "县民政局(退役军人事务局)"), ("县府办(县卫健局)", "县府办(县卫生健康局)"),
    ("市政府办(市大数据局)", "市府办(市大数据局)"),
    # white space from extraction
    ("县 卫健局", "县卫生健康局"),
])
def test_canonical_rules(raw, want):
    assert canonical(raw) == want
    assert canonical(want) == want  # canonical names are fixed points


@pytest.mark.parametrize("name", [
    "县发改局", "县经信局", "县委办", "县府办", "市生态环境局", "市生态环境局嵊泗分局", "县建设局",
    "县大数据管理中心", "县大数据局", "市城管局", "县文明办", "县农林农业局", "县民政局(退役军人事务局)",
    "县人大办", "嵊泗县政府", "岱山县政府", "县委政务办", "市卫健委", "嵊泗海关", "县委组织部",
])
def test_canonical_leaves_unknown_and_distinct_names(name):
    assert canonical(name) == name


def test_canonical_keeps_traditional_characters():
    assert canonical("市政府辦公室") == "市政府辦公室"  # no script conversion: never guess
    assert jurisdiction("縣財政局") == "county"


def test_canonical_never_merges_different_offices():
    pairs = [("县发改局", "县经信局"), ("市生态环境局", "市生态环境局嵊泗分局"), ("县委办", "县府办"),
             ("县委办", "县政府办"), ("县安委办", "县消安委办"), ("嵊泗县政府", "岱山县政府"),
             ("县卫健局", "市卫健委"), ("县住建局", "县建设局")]
    for a, b in pairs:
        assert canonical(a) != canonical(b), (a, b)


def test_canonical_user_aliases_win():
    aliases = {"县农林农业局": "县农业农村局", "县卫健局": "县卫健局"}
    assert canonical("县农林农业局", aliases=aliases) == "县农业农村局"
    assert canonical("县卫健局", aliases=aliases) == "县卫健局"  # the user's word beats the shipped rule
    assert canonical("县市监局", aliases=aliases) == "县市场监管局"
    assert canonical("县农林农业局") == "县农林农业局"


def test_canonical_with_issuer_drops_own_place():
    iss = "嵊泗县人民政府办公室"
    assert canonical("国网嵊泗县供电公司", issuer=iss) == "县供电公司"
    assert canonical("人行嵊泗县支行", issuer=iss) == "人行县支行"
    assert canonical("嵊泗县卫健局", issuer=iss) == "县卫生健康局"
    assert canonical("岱山县政府", issuer=iss) == "岱山县政府"  # another county: untouched
    assert canonical("嵊泗海关", issuer=iss) == "嵊泗海关"  # no level character after the place name
    assert canonical("嵊泗县政府", issuer="舟山市人民政府办公室") == "嵊泗县政府"
    assert canonical("舟山市交通局", issuer="舟山市人民政府办公室") == "市交通运输局"
    assert canonical("国网嵊泗县供电公司", issuer="县发改局") == "嵊泗县供电公司"  # issuer names no place


def test_fix_confusables():
    # damaged place names are no table rows: the typo rule reports them per document
    assert fix_confusables("嵎山镇人民政府") == "嵎山镇人民政府"
    assert fix_confusables("县发改局") == "县发改局"


# ---------------------------------------------------------------------------------------------------
# the five samples

EXPECTED_RENAMES = [  # (sample, raw name, canonical name): every raw name that canonical() changes
    ("000", "县委县政府信访局", "县信访局"),
    ("000", "县市监局", "县市场监管局"),
    ("000", "县海洋渔业局", "县海洋与渔业局"),
    ("001", "县卫健局", "县卫生健康局"),
    ("001", "国网嵊泗县供电公司", "嵊泗县供电公司"),
    ("002", "县人社保局", "县人力社保局"),
    ("002", "县供销联社", "县供销社"),
    ("002", "县市场监督管理局", "县市场监管局"),
    ("002", "县民政局（退役军人事务局）", "县民政局(退役军人事务局)"),
    ("002", "县精神文明指导中心", "县精神文明建设指导中心"),
    ("002", "国网县供电公司", "县供电公司"),
    ("003", "县医疗保障局", "县医保局"),
    ("003", "县政务办", "县政务服务办"),
    ("003", "县政府办", "县府办"),
    ("003", "县自然资源和规划局", "县资源规划局"),
    ("004", "市交通局", "市交通运输局"),
    ("004", "市人社局", "市人力社保局"),
    ("004", "市应急局", "市应急管理局"),
]

# distinct raw names → distinct canonical names, per sample
EXPECTED_COUNTS = {"000": (65, 63), "001": (48, 48), "002": (89, 88), "003": (83, 83), "004": (111, 111)}


def test_sample_renames(sample_units):
    got = []
    for fname, (_, names) in sample_units.items():
        for raw in sorted(set(names)):
            c = canonical(raw)
            if c != raw:
                got.append((fname[:3], raw, c))
    key = lambda t: (t[0], t[1])  # noqa: E731
    assert sorted(got, key=key) == sorted(EXPECTED_RENAMES, key=key)


def test_sample_merges(sample_units):
    """Within one document, the raw names that become one."""
    merges = {}
    for fname, (_, names) in sample_units.items():
        groups: dict[str, set[str]] = {}
        for raw in set(names):
            groups.setdefault(canonical(raw), set()).add(raw)
        merges[fname[:3]] = sorted((c, sorted(g)) for c, g in groups.items() if len(g) > 1)
        raw_n, canon_n = len(set(names)), len(groups)
        assert (raw_n, canon_n) == EXPECTED_COUNTS[fname[:3]], fname
    assert merges == {  # sorted by canonical name (code point order)
        "000": [("县市场监管局", ["县市场监管局", "县市监局"]),
                ("县海洋与渔业局", ["县海洋与渔业局", "县海洋渔业局"])],
        "001": [],
        "002": [("县人力社保局", ["县人力社保局", "县人社保局"])],
        "003": [],
        "004": [],
    }


def test_sample_overall_counts(sample_units):
    raw = {n for _, names in sample_units.values() for n in names}
    assert (len(raw), len({canonical(n) for n in raw})) == (291, 280)


def test_typo_suggestions_sample_002(sample_units):
    _, names = sample_units["002_943b2e701313101a.txt"]
    text = (ROOT / "samples" / "002_943b2e701313101a.txt").read_text(encoding="utf-8")
    assert typo_suggestions(names, text) == [
        ("市生态环境局嵎泗分局", "市生态环境局嵊泗分局"), ("嵎山镇人民政府", "嵊山镇人民政府"),
        ("嵎泗海事处", "嵊泗海事处"), ("市港航事业发展中心嵎泗分中心", "市港航事业发展中心嵊泗分中心")]


def test_typo_suggestions_find_nothing_in_the_other_samples(sample_units):
    for fname, (_, names) in sample_units.items():
        if not fname.startswith("002"):
            text = (ROOT / "samples" / fname).read_text(encoding="utf-8")
            assert typo_suggestions(names, text) == [], fname


def test_typo_suggestions_rule():
    text = "嵊泗" * 20 + "嵎泗海事处" + "县残联、残疾人" + "县文联" * 12
    names = ["嵊泗海事处"] * 3 + ["嵎泗海事处"] + ["县残联", "县文联"]
    # 嵎 is rare and only in a unit name while 嵊 is common: damage; 残 also stands in prose: a real office
    assert typo_suggestions(names, text) == [("嵎泗海事处", "嵊泗海事处")]
    assert typo_suggestions(names, text + "嵎" * 10) == []  # 嵎 no longer rare
    assert typo_suggestions([]) == []
    assert typo_suggestions(["县发改局"] * 12 + ["县发改委"]) == [("县发改委", "县发改局")]  # names as the text


# kinds: every sample unit, and the ones left `other` on purpose
# what was left `other` before the state and institution kinds: every sample unit now has a kind
STATE_AND_INSTITUTIONS = {
    "县检察院": "state", "县法院": "state", "市法院": "state", "县人大办": "state", "县政协办": "state",
    "县医共体": "institution", "东海实验室": "institution", "浙大舟山海洋研究中心": "institution",
    "浙江大学海洋学院": "institution", "浙江海洋大学": "institution", "舟山日报社": "institution",
    "舟山广电总台": "institution",
}


def test_kinds_of_sample_units(sample_units):
    names = {n for _, ns in sample_units.values() for n in ns}
    assert {n for n in names if kind(n) == "other"} == set()
    assert {n: kind(n) for n in STATE_AND_INSTITUTIONS} == STATE_AND_INSTITUTIONS


@pytest.mark.parametrize("name, want", [
    ("县委组织部", "party"), ("县委办", "party"), ("市委宣传部(市委网信办)", "party"), ("县纪委县监委机关", "party"),
    ("县委党校", "party"), ("县发改局", "government"), ("县府办", "government"), ("县政府办", "government"),
    ("市卫健委", "government"), ("县投促中心", "government"), ("定海区政府", "government"),
    ("县委县政府信访局", "government"), ("嵊山镇人民政府", "township"), ("五龙乡", "township"),
    ("太湖街道", "township"), ("雉城街道办事处", "township"), ("新城管委会", "zone"), ("县开发区", "zone"),
    ("高新区管委会", "zone"), ("县城投公司", "enterprise"), ("长兴城投集团", "enterprise"),
    ("嵊泗海关", "vertical"), ("县税务局", "vertical"), ("人行县支行", "vertical"), ("县供电公司", "vertical"),
    ("国网县供电公司", "vertical"), ("市生态环境局嵊泗分局", "vertical"), ("市生态环境局", "government"),
    ("市港航事业发展中心嵊泗分中心", "vertical"), ("县消防救援大队", "vertical"), ("舟山银保监分局", "vertical"),
    ("团县委", "people"), ("团市委", "people"), ("县妇联", "people"), ("县慈善总会", "people"),
    ("各乡镇人民政府", "collective"), ("县平安办成员单位", "collective"), ("有关乡镇人民政府", "collective"),
    ("县属有关部门", "collective"), ("其他对口工作责任单位", "collective"), ("县发改局等", "collective"),
    ("全体党员", "collective"), ("县级机关各部门", "collective"),
    ("县扫黑除恶领导小组", "body"), ("数字化改革专班", "body"), ("甬舟铁路指挥部", "body"),
    ("县青年工作联席会议", "body"), ("县安委办", "body"), ("县文明办", "body"), ("县金融办", "government"),
    ("县法院", "state"), ("县人民医院", "institution"), ("县文化广电旅游体育局", "government"), ("区直各部门", "collective"),
    # traditional characters are folded for matching only
    ("市級各有關部門", "collective"), ("市行政審批制度改革工作領導小組辦公室", "body"), ("市政府辦公室", "government"),
])
def test_kind(name, want):
    assert kind(name) == want


# ---------------------------------------------------------------------------------------------------
# jurisdiction


@pytest.mark.parametrize("name, issuer, want", [
    ("县发改局", None, "county"), ("市发改委", None, "city"), ("区发改局", None, "district"),
    ("省发改委", None, "province"), ("旗发改局", None, "county"), ("嵊泗县政府", None, "county"),
    ("定海区政府", None, "district"), ("浙江省舟山市卫健委", None, "city"), ("嵊泗县市监局", None, "county"),
    ("团市委", None, "city"), ("各县(区)政府", None, "county"), ("其他县国动委成员单位", None, "county"),
    ("嵊山镇人民政府", None, "township"), ("五龙乡", None, "township"), ("太湖街道", None, "township"),
    ("各乡镇人民政府", None, "township"),
    # no prefix: from the issuer
    ("财政局", "嵊泗县人民政府办公室", "county"), ("财政局", "舟山市人民政府办公室", "city"),
    ("财政局", None, "unknown"), ("市场监管局", None, "unknown"), ("市场监管局", "县发改局", "county"),
    ("嵊泗海关", "嵊泗县人民政府办公室", "county"), ("功能区管委会", "舟山市人民政府办公室", "city"),
    ("高新区管委会", None, "unknown"), ("财政局", "某某单位", "unknown"),
])
def test_jurisdiction(name, issuer, want):
    assert jurisdiction(name, issuer) == want


# ---------------------------------------------------------------------------------------------------
# alias files


def test_load_aliases_tsv(tmp_path):
    p = tmp_path / "a.tsv"
    p.write_text("# alias\tcanonical\n\n县农林农业局\t县农业农村局\n县供电公司\t国网嵊泗县供电公司\n"
                 "县发改局\t县发改局\n", encoding="utf-8")
    got = load_aliases(str(p))
    assert got == {"县农林农业局": "县农业农村局", "县供电公司": "国网嵊泗县供电公司"}
    assert canonical("县供电公司", aliases=got) == "国网嵊泗县供电公司"


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_load_aliases_yaml(tmp_path, suffix):
    p = tmp_path / f"a{suffix}"
    p.write_text("县农业农村局: [县农林农业局]\n国网嵊泗县供电公司:\n  - 县供电公司\n  - 国网县供电公司\n"
                 "县卫生健康局: 县卫健局\n", encoding="utf-8")
    assert load_aliases(str(p)) == {"县农林农业局": "县农业农村局", "县供电公司": "国网嵊泗县供电公司",
                                    "国网县供电公司": "国网嵊泗县供电公司", "县卫健局": "县卫生健康局"}


@pytest.mark.parametrize("name, text, reason", [
    ("bad.tsv", "县农林农业局\n", "expected alias<TAB>canonical"),
    ("bad.tsv", "a\tb\tc\n", "expected alias<TAB>canonical"),
    ("bad.tsv", "\t县发改局\n", "empty"),
    ("bad.tsv", "甲\t乙\n甲\t丙\n", "two canonical names"),
    ("bad.yaml", "- 县发改局\n- 县经信局\n", "expected a mapping"),
    ("bad.yaml", "县发改局: {a: 1}\n", "list of strings"),
    ("bad.yaml", "县发改局: [a, [b]]\n", "list of strings"),
    ("bad.yml", "县发改局: [a\n  b: c\n", "not valid YAML"),
])
def test_load_aliases_malformed(tmp_path, name, text, reason):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as e:
        load_aliases(str(p))
    msg = str(e.value)
    assert reason in msg and "\n" not in msg and name in msg


def test_load_aliases_not_utf8(tmp_path):
    p = tmp_path / "gbk.tsv"
    p.write_bytes("县卫健局\t县卫生健康局\n".encode("gbk"))
    with pytest.raises(ValueError, match="not UTF-8"):
        load_aliases(str(p))


# ---------------------------------------------------------------------------------------------------
# titles


@pytest.mark.parametrize("title, norm, rank", [
    ("市政府党组成员", "市政府党组成员", 58), ("常务副县长", "常务副县长", 41), ("县委常委", "常委", 50),
    (" 副 县长 ", "副县长", 42), ("县长", "县长", 40), ("市政府副秘书长", "副秘书长", 56),
    ("某某职务", "某某职务", 999), (None, None, 999), ("", None, 999),
])
def test_titles(title, norm, rank):
    assert normalise_title(title) == norm
    assert title_rank(title) == rank


def test_units_are_cheap():
    import time
    names = [f"县{i}局" for i in range(2000)] + ["县卫健局", "国网嵊泗县供电公司"] * 1000
    t = time.perf_counter()
    for n in names:
        canonical(n), kind(n), jurisdiction(n, "嵊泗县人民政府办公室")
    assert time.perf_counter() - t < 2.0
