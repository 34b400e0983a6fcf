"""Helpers shared by the output tests: run the real CLI, and read a document's tasks straight from its
JSON (the reference every table output is checked against)."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from functools import lru_cache

from .conftest import GOLD, ROOT

CLI = [sys.executable, "-m", "dutysplit"]
LEDGER_HEADERS = ["序号", "部分", "板块", "编号", "工作任务", "牵头单位", "责任单位", "配合单位", "分管领导",
                  "完成时限", "需核对", "来源"]
ISSUE_HEADERS = ["序号", "部分", "板块", "工作任务", "牵头单位", "责任单位", "配合单位", "分管领导", "完成时限",
                 "需核对", "来源"]  # the issue's list; the ledger adds 编号 (the task's number as written)


def cli(*args, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, cwd=ROOT, **kw)


def json_doc(path) -> dict:
    """The document as `dutysplit parse PATH` prints it (run once per path and content)."""
    return json.loads(_json_text(str(path), os.stat(path).st_mtime_ns))


@lru_cache(maxsize=64)
def _json_text(path: str, mtime: int) -> bytes:
    r = cli("parse", path)
    assert r.returncode == 0, r.stderr
    return r.stdout


def json_tasks(doc: dict) -> list[dict]:
    """Each task of a document from its JSON, with its units by role over all clauses (a unit that leads
    any clause is a lead; else a participant if it is one anywhere; else support)."""
    out = []
    for part in doc["parts"]:
        for sec in part["sections"]:
            for item in sec["items"]:
                units = [u for c in item["clauses"] for u in c["units"]]
                names = list(dict.fromkeys(u["name"] for u in units))
                roles = {n: {u["role"] for u in units if u["name"] == n} for n in names}
                out.append({
                    "text": item["text"], "label": item["label"], "lines": item["lines"], "section": sec,
                    "lead": [n for n in names if "lead" in roles[n]],
                    "participants": [n for n in names if "lead" not in roles[n] and "participant" in roles[n]],
                    "support": [n for n in names if roles[n] == {"support"}],
                    "canonical": {u["canonical"]: ("lead" if any(v["role"] == "lead" for v in units
                                                              if v["canonical"] == u["canonical"]) else "other")
                                  for u in units},
                })
    return out


def warnings(doc: dict) -> list[dict]:
    return [d for d in doc["diagnostics"] if d["level"] in ("warning", "error")]


def gold_task_count(sample) -> int:
    """Tasks in a gold file: distinct (part, section, item)."""
    with open(GOLD / f"{sample.stem}.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return len({(r["part"], r["section"], r["item"]) for r in rows})


def split(cell, sep="、") -> list[str]:
    return cell.split(sep) if cell else []
