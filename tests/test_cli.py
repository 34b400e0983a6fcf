"""The command line, through click's CliRunner."""
from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from dutysplit import __version__
from dutysplit.cli import main

from .conftest import ROOT, SAMPLES

S002 = str(ROOT / "samples" / "002_943b2e701313101a.txt")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and __version__ in r.output


def test_parse_json_is_unicode_unescaped_and_valid():
    r = run("parse", S002)
    assert r.exit_code == 0, r.output
    assert "嵊泗" in r.stdout and "\\u" not in r.stdout
    doc = json.loads(r.stdout)
    assert doc["meta"]["doc_number"] == "嵊政办发〔2024〕5号"
    assert r.stdout.count("\n") == 1  # compact: one line


def test_parse_pretty_json():
    r = run("parse", S002, "--pretty")
    assert r.exit_code == 0 and r.stdout.startswith("{\n  ")
    assert json.loads(r.stdout) == json.loads(run("parse", S002).stdout)


def test_yaml_has_the_same_structure_as_json():
    r = run("parse", S002, "--format", "yaml")
    assert r.exit_code == 0
    assert yaml.safe_load(r.stdout) == json.loads(run("parse", S002).stdout)


def test_tsv_has_one_row_per_clause_and_starts_with_the_gold_columns():
    r = run("parse", S002, "--format", "tsv", "--per", "clause")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:7] == ["part", "section", "item", "clause", "lead", "units", "text"]
    assert len(lines) == 1 + 163
    assert all(len(line.split("\t")) == len(lines[0].split("\t")) for line in lines)
    gold = (ROOT / "tests" / "gold" / "002_943b2e701313101a.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[1].split("\t")[:6] == gold[1].split("\t")[:6]


def test_stdin(tmp_path):
    data = (ROOT / "samples" / "000_ed9c876b7720aff2.txt").read_bytes()
    r = CliRunner().invoke(main, ["parse", "-", "--format", "tsv"], input=data)
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 143


def test_csv_quotes_and_excel_bom():
    r = run("parse", S002, "--excel", "--per", "clause")
    assert r.exit_code == 0
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbf")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert len(rows) == 164 and rows[1][4] == "县财政局"


def test_output_file(tmp_path):
    out = tmp_path / "out.json"
    r = run("parse", S002, "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["meta"]["year"] == 2024
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_missing_file_is_one_line_on_stderr_and_exit_1():
    r = run("parse", "/no/such/file.txt")
    assert r.exit_code == 1
    assert r.stderr == "dutysplit: error: /no/such/file.txt: no such file\n"
    assert r.stdout == ""


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    r = run("parse", str(bad), S002, "--format", "tsv", "-q")  # -q: no warnings, errors only
    assert r.exit_code == 1
    assert r.stderr.strip() == f"dutysplit: error: {bad}: binary file (contains NUL bytes)"
    assert len(r.stdout.splitlines()) == 164


def test_usage_error_is_exit_2():
    assert run("parse").exit_code == 2
    assert run("parse", S002, "--format", "xml").exit_code == 2


def test_strict_fails_on_warnings(tmp_path):
    f = tmp_path / "w.txt"
    f.write_text("一、张三县长牵头重点工作\n1.没有责任单位的任务。\n", encoding="utf-8")
    assert run("parse", str(f)).exit_code == 0
    r = run("parse", str(f), "--strict")
    assert r.exit_code == 1 and r.stderr.endswith(": 1 warning (--strict)\n")


def test_gb18030_input_is_detected(tmp_path):
    f = tmp_path / "gb.txt"
    f.write_bytes(SAMPLES[0].read_text(encoding="utf-8").encode("gb18030"))
    doc = json.loads(run("parse", str(f)).stdout)
    assert doc["source"]["encoding"] == "gb18030"
    utf8 = json.loads(run("parse", str(SAMPLES[0])).stdout)
    assert doc["parts"] == utf8["parts"] and doc["meta"] == utf8["meta"]


def test_bom_and_crlf(tmp_path):
    f = tmp_path / "bom.txt"
    text = SAMPLES[4].read_text(encoding="utf-8")
    f.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    doc = json.loads(run("parse", str(f)).stdout)
    assert doc["source"]["encoding"] == "utf-8-sig"
    assert doc["parts"] == json.loads(run("parse", str(SAMPLES[4])).stdout)["parts"]


def test_schema_command_matches_the_shipped_schema():
    r = run("schema")
    assert r.exit_code == 0
    shipped = json.loads((ROOT / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
    assert json.loads(r.stdout) == shipped, "regenerate: dutysplit schema > schemas/document.schema.json"
