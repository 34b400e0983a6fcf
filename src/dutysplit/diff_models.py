"""The contract of `dutysplit diff -f json` as pydantic models; ``schemas/diff.schema.json`` is generated from
them (``python -m dutysplit.diff_models > schemas/diff.schema.json``) and a test keeps the two equal."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .diff import SCHEMA_VERSION

Change = Literal["text", "lead", "units", "section", "deadline", "targets"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentRef(_Model):
    path: str | None = Field(description="the input path as given")
    sha256: str
    title: str | None = Field(description="meta.title of the document")
    year: int | None = Field(description="meta.year of the document")
    issuer: str | None
    tasks: int = Field(description="number of tasks in the document")


class Task(_Model):
    part: int = Field(description="1-based task list of the document")
    section: str = Field(description="numeral of the `一、` section; empty before any section")
    section_heading: str
    item: str = Field(description="the task's label as written")
    lines: tuple[int, int]
    text: str
    lead: list[str] = Field(description="canonical names of the units that lead the task")
    units: list[str] = Field(description="canonical names of every unit of the task, in order")
    deadline: str | None = Field(description="deadline.date of the task (ISO)")
    deadline_kind: Literal["date", "quarter", "year", "ongoing", "none"]
    targets: list[str] = Field(description="targets[].raw of the task")


class Match(_Model):
    old: Task
    new: Task
    score: float = Field(description="0.70·text + 0.20·units (Jaccard ×100) + 0.10·section heading similarity")
    text_score: float = Field(description="mean of rapidfuzz WRatio and the TF-IDF bigram cosine (×100) of the "
                              "two texts with numbers masked")
    changes: list[Change] = Field(description="what differs; empty when the task is unchanged")
    units_added: list[str] = Field(description="units of the new task the old one did not have")
    units_removed: list[str] = Field(description="units of the old task the new one does not have")


class Summary(_Model):
    old_tasks: int
    new_tasks: int
    matched: int
    unchanged: int
    changed: int
    added: int
    removed: int
    text_changed: int
    lead_changed: int
    units_changed: int
    section_changed: int
    deadline_changed: int
    targets_changed: int


class UnitLoad(_Model):
    unit: str = Field(description="canonical unit name")
    lead_before: int = Field(description="tasks the unit leads in the old document")
    lead_after: int
    support_before: int = Field(description="tasks the unit takes part in without leading, old document")
    support_after: int


class DiffReport(_Model):
    schema_version: Literal[SCHEMA_VERSION]  # type: ignore[valid-type]
    old: DocumentRef
    new: DocumentRef
    min_score: float = Field(description="pairs scoring under this are not matched")
    summary: Summary
    matched: list[Match] = Field(description="one-to-one task pairs, in the new document's order")
    added: list[Task] = Field(description="tasks of the new document with no match")
    removed: list[Task] = Field(description="tasks of the old document with no match")
    units: list[UnitLoad] = Field(description="every unit of either document; the most changed first")


def json_schema() -> dict:
    schema = DiffReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://dutysplit.invalid/schema/diff-{SCHEMA_VERSION}.json"
    schema["title"] = "dutysplit diff report"
    return schema


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
