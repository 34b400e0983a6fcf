"""Stage 6: the output contract as pydantic models. ``dutysplit schema`` prints their JSON Schema.

Keys are lowercase snake_case and static: nothing in the data ever becomes a key. The CLI's fast path
emits the resolver's dict directly; the test suite validates every output against these models and
against ``schemas/document.schema.json``.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import SCHEMA_VERSION

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceInfo(_Model):
    path: str | None = Field(description="the input path as given; null for text or stdin")
    sha256: str = Field(description="SHA-256 of the input bytes (of the UTF-8 text for parse_text)")
    encoding: str | None = Field(description="encoding used to decode the bytes; null for text input and for "
                                 "Word, PDF and Excel files")
    format: Literal["text", "html", "docx", "pdf", "xlsx"] = Field(
        "text", description="the input's format, found by its content (not by its name)")
    positions: list[str] | None = Field(
        None, description="for Word, HTML, PDF and Excel input: where line n of the output is in the file "
        "(`positions[n-1]`): `p12` (paragraph), `t1 r2 c3` (table, row, cell), `page 3 line 4`, "
        "`Sheet1!B7`; null for plain text, whose line numbers are the file's own")
    split_lines: list["SplitLine"] = Field(
        description="physical lines that held several paragraphs (HTML `<p>` blocks, two tasks run together, a "
        "whole document on one line): each was cut into `count` paragraphs numbered from `first`. Line numbers "
        "everywhere else count these paragraphs; with no cut they are the file's own line numbers")


class SplitLine(_Model):
    line: int = Field(description="the physical line (1-based)")
    first: int = Field(description="the number of its first paragraph")
    count: int


class MetaField(_Model):
    key: str = Field(description="the key as written (`发布机构`), or the kind of line for notice lines")
    value: str
    kind: Literal["kv", "bullet", "notice_title", "doc_number", "signature", "date"] = Field(
        description="kv: `key: value` (several may share a line); bullet: `• key:` with the value on the "
        "next line; the others: a line of the notice")
    lines: Span = Field(description="first and last line of the field")


class Meta(_Model):
    title: str | None = Field(description="title of the (first) task list")
    notice_title: str | None = Field(description="`…关于印发…的通知`, where present")
    doc_number: str | None = Field(description="文号, e.g. `嵊政办发〔2024〕5号`")
    issuer: str | None = Field(description="issuing office: the signature, else 发布机构")
    date: str | None = Field(description="date written or signed (ISO 8601): 成文日期, else the signature date")
    published: str | None = Field(description="publication date (ISO 8601): 发布时间/生成日期")
    index_no: str | None = Field(description="索引号")
    year: int | None = Field(description="the year the plan is for: from the title, else from the date")
    fields: list[MetaField] = Field(description="every metadata line as read, in order")


class Convention(_Model):
    rule: Literal["first-listed", "marked", "none"] = Field(
        description="first-listed: the first unit of a list leads; marked: units marked `*`/`★` lead; "
        "none: nothing declared (the first-listed unit is assumed to lead)")
    declared: bool
    text: str | None = Field(description="the note as written, e.g. `（排位第一的为牵头单位，下同）`")
    line: int | None


class Unit(_Model):
    name: str = Field(description="as written: brackets kept, separators and a trailing `。` removed")
    role: Literal["lead", "participant", "support"] = Field(
        description="lead: leads the clause; participant: takes part; support: 配合/协办")
    canonical: str = Field(description="one name per unit (data/unit_aliases.tsv, --aliases); the name as "
                           "written when no rule applies")
    kind: Literal["party", "government", "township", "zone", "enterprise", "vertical", "people", "collective",
                  "body", "state", "institution", "other"] = Field(
        description="data/unit_kinds.tsv; state: 人大, 政协, courts, procuratorates; institution: universities, "
        "research, hospitals, media")
    jurisdiction: Literal["county", "city", "district", "province", "township", "unknown"] = Field(
        description="from the name's prefix, else from the document's issuer")


RuleName = str  # a family of dutysplit.rules (units_line, inline_label, table_pipe …), `joint`, or `none`


class Clause(_Model):
    text: str = Field(description="the part of the task this statement of units covers")
    units: list[Unit]
    lead: str | None = Field(description="the (first) lead unit; null when inherited or no units")
    inherited: bool = Field(description="units handed down from a joint section heading")
    note: str | None = Field(description="words of a statement that name no units: bracket notes, standing rules, "
                             "remarks (`年内持续推进`)")
    lines: Span
    rule: RuleName = Field(description="the family that wrote this statement (dutysplit.rules; README)")


class ItemField(_Model):
    name: str = Field(description="the label or column header as written (`完成时限`)")
    kind: str = Field(description="the role of its label or column in data/vocab.tsv (deadline, status, target, other …), or remark")
    value: str
    line: int | None


class Deadline(_Model):
    raw: str | None = Field(description="as written: the phrase of the text (`2024年6月底前`) or the whole value of "
                            "the deadline field; null when nothing is found")
    date: str | None = Field(description="ISO 8601, the LAST day meant (`6月底前` → …-06-30, `三季度` → …-09-30); "
                             "the year from the document's `meta.year` when the text has none; null when "
                             "unknown or for ongoing work")
    kind: Literal["date", "quarter", "year", "ongoing", "none"] = Field(
        description="date: a day or month (`2024年6月底前`, `年底前`); quarter: a quarter or half year (`三季度`, "
        "`上半年`); year: a whole year or several (`年内`, `2025年前`, `3年内`, `“十四五”期间`); ongoing: no end "
        "(`长期坚持`, `持续推进`); none: nothing found")
    source: Literal["field", "text"] | None = Field(
        description="field: a 完成时限/时限/完成时间 line or column (it beats the text); text: the task's words")


class Target(_Model):
    raw: str = Field(description="as written, qualifiers included (`50亿元以上`, `不低于90%`)")
    value: float = Field(description="the number, 万/亿 and Chinese numerals folded in (`1.2万人` → 12000); a "
                         "percentage as written (`6%` → 6); the upper end of a range")
    unit: str = Field(description="unit of measure (`人`, `个`, `元`, `%`, `百分点`, `公里` …; data/quantity_units.tsv)")
    qualifier: str | None = Field(description="as written: 左右, 以上, 以内, 以下, 不低于, 不少于, 不超过, 超过, 余 …")
    direction: Literal["at_least", "at_most", "about", "range"] | None = Field(
        description="what the qualifier means; range: `3-5万人` (see `low`); null: an exact figure")
    low: float | None = Field(description="the lower end of a written range (`1到2个` → 1), else null")
    span: Span = Field(description="[start, end) character offsets of `raw` in the task's `text`")


class Leader(_Model):
    name: str
    title: str | None = Field(description="normalised from data/titles.tsv (`县委常委` → `常委`)")
    rank: int = Field(description="for ordering: 县长 before 常务副县长 before 副县长 …; 999 when unknown")


class Person(_Model):
    name: str
    title: str | None
    rank: int
    sections: list[str] = Field(description="`part/section` of every section this person leads (`1/二`)")
    items: int = Field(description="number of tasks under this person (their sections' and their own)")


class Item(_Model):
    label: str = Field(description="the number as written: `9`, or `(一)`")
    number: int
    subheading: str | None = Field(description="numeral of the `(一)` sub-heading the task stands under")
    text: str = Field(description="task text, joined over line breaks, without number and units statements")
    lines: Span = Field(description="first and last line; a task read from a table or a prose paragraph points "
                        "into the block (`kept` table, section text) that holds those lines")
    rule: RuleName = Field(description="the family the task was read by (its first statement's, or the table form)")
    leaders: list[Leader] = Field(description="the task's own leader(s): `牵头市领导:`, `责任领导:`, 分管领导 column")
    fields: list[ItemField] = Field(description="other lines or columns of the task: 完成时限, 推进情况 …")
    clauses: list[Clause]
    deadline: Deadline = Field(description="the task's deadline: from its deadline field, else from its text "
                               "(the latest written); kind none when there is none (schema 1.1)")
    targets: list[Target] = Field(description="every quantity written in the task's text, in order (schema 1.1)")


class Subheading(_Model):
    label: str
    number: int
    text: str
    lines: Span


class Section(_Model):
    label: str = Field(description="the numeral of the `一、` heading; empty for tasks before any heading")
    number: int
    heading: str
    line: int | None
    kind: Literal["leader", "joint", "unit", "topic", "prose"] = Field(
        description="leader: a person leads its tasks; joint: its units share every task; unit: its unit leads the "
        "tasks that name none (`一、县示范区管委会牵头工作`); topic; prose")
    leaders: list[Leader]
    units: list[str] = Field(description="units named by a joint heading, handed down to its tasks")
    text: str | None = Field(description="prose of the section (指导思想, 工作目标 …) or text between tasks")
    text_lines: list[int]
    subheadings: list[Subheading]
    items: list[Item]


LayoutName = str  # the most common rule of the part's tasks (dutysplit.rules), or `none`


class Part(_Model):
    layout: LayoutName = Field(description="the layout family that states the units in this part (README)")
    title: str | None
    lines: Span | None = Field(description="first and last line of the title (a title may be broken over lines)")
    text: str | None
    text_lines: list[int]
    sections: list[Section]


class Kept(_Model):
    kind: Literal["preamble", "notice", "attachment", "colophon", "table"]
    lines: Span
    line_numbers: list[int]
    text: str


class Diagnostic(_Model):
    level: Literal["info", "warning", "error"]
    code: str
    line: int | None
    message: str


class Unparsed(_Model):
    line: int
    text: str
    reason: Literal["debris", "unrecognised", "units_without_task"]


class Document(_Model):
    schema_version: Literal[SCHEMA_VERSION]  # type: ignore[valid-type]
    source: SourceInfo
    layout: LayoutName = Field(description="the most common layout of the parts")
    meta: Meta
    convention: Convention
    leaders: list[Person] = Field(description="every leader of the document once, by rank")
    parts: list[Part]
    kept: list[Kept]
    diagnostics: list[Diagnostic]
    unparsed: list[Unparsed]


def json_schema() -> dict:
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://dutysplit.invalid/schema/document-{SCHEMA_VERSION}.json"
    schema["title"] = "dutysplit document"
    return schema
