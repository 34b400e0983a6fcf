"""`dutysplit show FILE`: a document for people, in the terminal (rich).

Sections and their leaders, each task with its lead unit highlighted and the other units dimmed, its
deadline and its targets (highlighted in the text), and the diagnostics: under the task whose lines they
concern, the others at the end (warnings in yellow, errors in red). ``unit`` keeps the tasks of one unit
(its name as written or canonical, or any spelling the alias rules know). Everything wraps to the
console's width. Works on document dicts (``dutysplit.api.parse_file_dict``); rich is imported here only.
"""
from __future__ import annotations

from rich.console import Console
from rich.text import Text

LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
ROLE_STYLE = {"lead": "bold black on yellow", "participant": "", "support": "italic dim"}


def _unit_filter(unit: str | None, aliases: dict[str, str] | None):
    if not unit:
        return None
    from .units import canonical

    want = {unit, canonical(unit, aliases=aliases)}
    return lambda u: u["name"] in want or u["canonical"] in want


def _deadline(d: dict | None) -> Text | None:
    if not d or d.get("kind", "none") == "none":
        return None
    text = Text("deadline " if d["kind"] != "ongoing" else "deadline: ", style="cyan")
    if d["kind"] != "ongoing":
        text.append(d["date"] or "?", style="bold cyan")
        text.append(f" ({d['raw']})", style="cyan")
    else:
        text.append(d["raw"] or "", style="cyan")
    return text


def _task_text(item: dict) -> Text:
    text = Text(item["text"] or "(no text)")
    for t in item.get("targets", ()):
        text.stylize("bold magenta", t["span"][0], t["span"][1])
    return text


def _units_line(item: dict, keep) -> Text | None:
    """The task's units once each: the lead highlighted, supporting units dimmed, the unit asked for
    underlined."""
    seen: dict[str, list] = {}
    for clause in item["clauses"]:
        for u in clause["units"]:
            entry = seen.setdefault(u["name"], [u["role"], False])
            if u["role"] == "lead":
                entry[0] = "lead"
            entry[1] = entry[1] or bool(keep and keep(u))
    if not seen:
        return None
    line = Text()
    for k, (name, (role, asked)) in enumerate(seen.items()):
        if k:
            line.append("、", style="dim")
        style = " ".join(x for x in (ROLE_STYLE[role], "underline" if asked else "") if x)
        line.append(name, style=style or None)
    return line


def hanging(label: Text, lines: list, indent: int = 2):
    """``label`` then ``lines`` in a column of their own: wrapped text stays clear of the label."""
    from rich.console import Group
    from rich.table import Table

    grid = Table.grid(padding=(0, 1), expand=False)
    grid.add_column(no_wrap=True, min_width=indent + label.cell_len)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text(" " * indent).append_text(label), Group(*lines))
    return grid


def render(doc: dict, console: Console, unit: str | None = None, aliases: dict[str, str] | None = None) -> int:
    """Print the document; return the number of tasks shown (0 with ``unit`` means: no task of that unit)."""
    keep = _unit_filter(unit, aliases)

    def items_of(sec: dict) -> list[dict]:
        return [it for it in sec["items"] if keep is None or any(keep(u) for c in it["clauses"] for u in c["units"])]

    if keep is not None and not any(items_of(s) for p in doc["parts"] for s in p["sections"]):
        return 0
    meta = doc["meta"]
    head = Text(meta["title"] or doc["source"]["path"] or "(untitled)", style="bold")
    facts = [x for x in (meta["issuer"], meta["doc_number"], meta["date"]) if x]
    if facts:
        head.append("\n" + "  ".join(facts), style="dim")
    console.print(head)
    diags = list(doc["diagnostics"])
    placed: set[int] = set()
    shown = 0
    for part in doc["parts"]:
        if len(doc["parts"]) > 1 and part["title"] and any(items_of(s) for s in part["sections"]):
            console.rule(Text(part["title"], style="bold"))
        for sec in part["sections"]:
            items = items_of(sec)
            if not items:
                continue
            heading = Text(f"{sec['label']}、" if sec["label"] else "", style="bold cyan")
            heading.append(sec["heading"] or "", style="bold cyan")
            if sec["leaders"]:
                heading.append("  " + "、".join(f"{x['name']}{x['title'] or ''}" for x in sec["leaders"]), style="cyan")
            console.print(heading)
            for item in items:
                shown += 1
                body = [_task_text(item), _units_line(item, keep), _deadline(item.get("deadline"))]
                leaders = "、".join(f"{x['name']}{x['title'] or ''}" for x in item["leaders"])
                if leaders:
                    body.append(Text(leaders, style="cyan"))
                first, last = item["lines"]
                for k, d in enumerate(diags):
                    if d["line"] is not None and first <= d["line"] <= last and d["level"] != "info":
                        placed.add(k)
                        body.append(Text(f"{d['level']}: {d['message']} (line {d['line']})",
                                         style=LEVEL_STYLE[d["level"]]))
                console.print(hanging(Text(f"{item['label']}.", style="bold"), [b for b in body if b is not None]))
    rest = [d for k, d in enumerate(diags) if k not in placed and d["level"] != "info"]
    if rest and keep is None:
        console.rule("diagnostics")
        for d in rest:
            where = f" (line {d['line']})" if d["line"] is not None else ""
            console.print(Text(f"{d['level']}: {d['code']}: {d['message']}{where}", style=LEVEL_STYLE[d["level"]]))
    if keep is None:
        n = sum(len(s["items"]) for p in doc["parts"] for s in p["sections"])
        warn = sum(d["level"] == "warning" for d in diags)
        err = sum(d["level"] == "error" for d in diags)
        console.print(Text(f"{n} tasks, {warn} warnings, {err} errors, {len(doc['unparsed'])} lines unparsed",
                           style="dim"))
    return shown
