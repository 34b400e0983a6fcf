"""HTML pages as a government site saves them, from a plain-text document (see :func:`from_text`), the rule
fixture of ``table_html``, and hostile pages."""
from __future__ import annotations

import html
from pathlib import Path

from dutysplit.grid.split import pipe_pieces

from . import Para, TableBlock, blocks_of

NAV = ["首页", "政务公开", "政策文件", "互动交流", "办事服务"]
RULE_TEXT = """2024年重点工作任务分解
序号 | 主 要 工 作 任 务 | 责任单位 |
1 | 地区生产总值增长6%左右。 | 市发展改革委 |
2 | 规上工业增加值增长6%以上。 | 市经信局 |
3 | 服务业增加值增长6%以上。 | 市发展改革委 |
4 | 固定资产投资增长6%以上。 | 市发展改革委 |
5 | 社会消费品零售总额增长5.5%以上。 | 市商务局 |
"""


def _e(s: str) -> str:
    return html.escape(s, quote=False)


def spans(rows: list[list[str]], *, header: int = 1) -> list[list[tuple[str, int] | None]]:
    """Each cell as (text, rowspan), or None where a cell above spans it. A body row shorter than the table
    lacks its first cells: they are the cells above, spanning down (how such a row comes about when a page
    table is copied as text). Vertically adjacent equal non-empty cells merge too, except in the first
    column and in the header rows."""
    width = max(len(r) for r in rows)
    grid: list[list[str | None]] = []
    for i, r in enumerate(rows):
        cells = [_cell(c) for c in r]
        missing = width - len(cells)
        grid.append(([None] * missing if i > header else [""] * missing) + cells if i >= header
                    else cells + [""] * missing)
    out: list[list[tuple[str, int] | None]] = [[None if c is None else (c, 1) for c in r] for r in grid]
    for c in range(width):
        origin = None
        for r in range(header, len(grid)):
            text = grid[r][c]
            if origin is not None and (text is None or c and text and text == grid[origin][c]):
                out[origin][c] = (grid[origin][c], out[origin][c][1] + 1)
                out[r][c] = None
            else:
                origin = r
    return out


def _cell(text: str) -> str:
    """A cell as the text's pipe rows give it (a `?` left by a lost character dropped)."""
    return pipe_pieces(text)[0][0] if text.strip() else ""


def table_html(rows: list[list[str]], *, rowspan: bool = True) -> str:
    cells = spans(rows) if rowspan else [[(c, 1) for c in r] for r in rows]
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%">']
    for i, row in enumerate(cells):
        if i == 0:
            out.append("<thead>")
        elif i == 1:
            out.append("<tbody>")
        tag = "th" if i == 0 else "td"
        tds = []
        for cell in row:
            if cell is None:
                continue
            text, rs = cell
            attr = f' rowspan="{rs}"' if rs > 1 else ""
            tds.append(f'<{tag}{attr} valign="center"><p style="text-align:center">{_e(text)}</p></{tag}>'
                       if text else f"<{tag}{attr}>&nbsp;</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
        if i == 0:
            out.append("</thead>")
    out.append("</tbody></table>" if len(cells) > 1 else "</table>")
    return "\n".join(out)


def body_html(text: str, *, rowspan: bool = True) -> str:
    parts = []
    for block in blocks_of(text):
        if isinstance(block, TableBlock):
            parts.append(table_html(block.rows, rowspan=rowspan))
        elif isinstance(block, Para):
            parts.append(f'<p style="text-indent:2em">{_e(block.text)}</p>')
    return "\n".join(parts)


def from_text(text: str, *, rowspan: bool = True, chrome: bool = True, encoding: str = "utf-8",
              title: str | None = None, published: str = "2024-03-05 09:30") -> bytes:
    """A page as a county site's CMS writes it: ``<meta charset>`` (``encoding``: utf-8, or gb2312 as old
    sites declare it while sending GB18030 bytes), the title and ``PubDate`` in the head, a script, the site's
    navigation, breadcrumb and footer around the article (``chrome``), paragraphs as ``<p>`` and the text's
    `|` tables as ``<table>`` with equal cells merged by ``rowspan``."""
    first = next((b.text for b in blocks_of(text) if isinstance(b, Para)), "文件")
    title = title or first[:60]
    head = [f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
            f"<title>{_e(title)}_本站门户网站</title>",
            f'<meta name="ArticleTitle" content="{html.escape(title)}">',
            f'<meta name="PubDate" content="{published}">',
            '<link rel="stylesheet" href="/css/style.css">',
            '<style>.content p{line-height:2em} td{border:1px solid #000}</style>',
            '<script type="text/javascript">var pageTitle = "<p>不是正文</p>"; function f(a){return a<2&&a>0;}</script>']
    body = []
    if chrome:
        body += ['<div class="header"><div class="topbar"><a href="/">设为首页</a> | <a>加入收藏</a></div>',
                 '<div class="logo"><img src="/images/logo.png" alt="门户网站"></div>',
                 '<div class="nav"><ul>' + "".join(f'<li><a href="/c{i}/">{_e(n)}</a></li>' for i, n in enumerate(NAV))
                 + "</ul></div></div>",
                 '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>政策文件</a></div>']
    body += ['<div class="article">',
             f'<div class="info">发布时间：{published[:10]}</div>' if chrome else "",
             '<div class="TRS_Editor">', body_html(text, rowspan=rowspan), "</div>"]
    if chrome:
        body += ['<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印本页</a> <a>关闭窗口</a></div>',
                 '<div class="bdsharebuttonbox">分享到：<a class="bds_weixin"></a></div>']
    body.append("</div>")
    if chrome:
        body += ['<div class="footer"><p>主办：本站 <a href="/map/">网站地图</a> | 联系我们</p>',
                 "<p>版权所有：本站&nbsp;&nbsp;ICP备00000000号</p></div>",
                 '<script>document.write("<div>统计</div>");</script><noscript>请开启脚本</noscript>']
    page = ("<!DOCTYPE html>\n<html>\n<head>\n" + "\n".join(head) + "\n</head>\n<body>\n"
            + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")
    codec = "gb18030" if encoding.lower().replace("-", "") in ("gb2312", "gbk", "gb18030") else encoding
    return page.encode(codec)


def fragment_from_text(text: str, *, rowspan: bool = True) -> bytes:
    """The article's HTML only (what a person copies out of the page source and saves as ``.txt``)."""
    return ('<div class="TRS_Editor">\n' + body_html(text, rowspan=rowspan) + "\n</div>\n").encode("utf-8")


def write_rule_fixture(directory) -> Path:
    """``table_html--basic.html``: a few rows of a published pipe table as a page table, equal unit cells merged
    by rowspan."""
    path = Path(directory) / "table_html--basic.html"
    path.write_bytes(from_text(RULE_TEXT, title="2024年重点工作任务分解", published="2024-02-18 10:00"))
    return path


def hostile() -> dict[str, bytes]:
    """Pages meant to cost: deep nesting, a million empty tags, a huge attribute, spans that multiply cells."""
    return {
        "deep_div.html": b"<html><body>" + b"<div>" * 100_000 + "深处的文字".encode() + b"</div>" * 100_000,
        "deep_list.html": b"<body>" + b"<ul><li>" * 50_000 + b"x",
        "deep_span_stray_end.html": b"<p>" + b"<span>" * 100_000 + b"</div>" * 100_000 + b"x",
        "empty_tags.html": b"<html><body>" + b"<p></p>" * 1_000_000 + "<p>正文</p>".encode(),
        "huge_attr.html": b"<html><body><p title=\"" + b"a" * 20_000_000 + "\">正文</p></body></html>".encode(),
        "span_bomb.html": b"<table>" + b"<tr><td colspan=1000 rowspan=65534>x</td><td>y</td></tr>" * 2000
        + b"</table>",
        "deep_tables.html": b"<body>" + b"<table><tr><td>a</td><td>" * 20_000 + b"x",
    }


if __name__ == "__main__":  # pragma: no cover
    import sys

    write_rule_fixture(sys.argv[1] if len(sys.argv) > 1 else ".")
