"""The format of a file, found by its content (magic bytes, the members of a zip, markup), never only by
its name. The name only chooses the words of an error (a ``.wps`` is named as such)."""
from __future__ import annotations

import io
import os
import re

from ..errors import InputError

TEXT, HTML, DOCX, XLSX, PDF = "text", "html", "docx", "xlsx", "pdf"
DOCUMENTS = "*.txt,*.htm,*.html,*.docx,*.pdf,*.xlsx"  # what a directory is searched for by default (--glob)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY = {  # extension → (what it is, what to save it as)
    ".doc": ("a legacy Word document (.doc)", ".docx"),
    ".wps": ("a WPS document (.wps)", ".docx"),
    ".dot": ("a legacy Word template (.dot)", ".docx"),
    ".xls": ("a legacy Excel workbook (.xls)", ".xlsx"),
    ".et": ("a WPS spreadsheet (.et)", ".xlsx"),
    ".ppt": ("a legacy PowerPoint file (.ppt)", ".pdf"),
}
_MAGIC = (  # binary formats we do not read: (prefix, what it is, what to do)
    (b"{\\rtf", "an RTF document", "save it as .docx"),
    (b"PK\x03\x04", None, None),  # zip: decided by its members
    (b"\x89PNG", "a PNG image", "run OCR first and give the text"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR first and give the text"),
    (b"GIF8", "a GIF image", "run OCR first and give the text"),
    (b"II*\x00", "a TIFF image", "run OCR first and give the text"),
    (b"MM\x00*", "a TIFF image", "run OCR first and give the text"),
    (b"Rar!", "a RAR archive", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
    (b"%!PS", "a PostScript file", "convert it to PDF"),
    (b"AT&TFORM", "a DjVu document", "convert it to PDF"),
)
# The start of an HTML document (after a BOM and white space), or markup that only HTML has.
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|meta\s|body[\s>])",
                         re.I | re.S)
_HTML_TAG = re.compile(rb"<(?:p|div|br|table|tr|td|span|li|h[1-6])(?:\s[^<>]*)?/?>", re.I)
# HTML saved as .txt from its article (no head): the text opens with a block tag
_HTML_FRAGMENT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:div|p|table|tbody|tr|td|section|article|h[1-6]|ul|ol"
                            rb"|center|font|span|style|link|title)[\s>]", re.I | re.S)


def detect(data: bytes, path: str | None = None) -> str:
    """``text``, ``html``, ``docx``, ``xlsx`` or ``pdf``; anything else is an :class:`InputError` naming what
    the file is and what to do."""
    ext = os.path.splitext(path or "")[1].lower()
    head = data[:8]
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024] and not _looks_text(data[:1024]):
        return PDF
    if head == _OLE:
        what, save_as = _LEGACY.get(ext, ("a legacy Office document (Word 97–2003 .doc, .xls or .wps)", ".docx or .xlsx"))
        raise InputError(f"{what} cannot be read; open it and save it as {save_as}")
    for prefix, what, todo in _MAGIC:
        if data.startswith(prefix):
            if what is None:
                return _zip_kind(data, ext)
            raise InputError(f"{what} cannot be read; {todo}")
    if _is_html(data):
        return HTML
    return TEXT


def _looks_text(head: bytes) -> bool:
    return b"\x00" not in head


def _zip_kind(data: bytes, ext: str) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise InputError(f"a damaged zip file ({_short(e)}); a .docx or .xlsx must be a whole zip") from None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        raise InputError("a PowerPoint presentation cannot be read; save it as PDF")
    if "content.xml" in names and "mimetype" in names:
        raise InputError("an OpenDocument file (.odt/.ods) cannot be read; save it as .docx or .xlsx")
    if any(n.lower().endswith((".ofd", "doc.xml")) for n in names) or ext == ".ofd":
        raise InputError("an OFD document cannot be read; save it as PDF or .docx")
    raise InputError("a zip archive, not a document; unpack it and give the documents inside")


def _is_html(data: bytes) -> bool:
    head = data[:4096]
    if _HTML_START.match(head):
        return True
    if _HTML_FRAGMENT.match(head) and len(_HTML_TAG.findall(head)) >= 3:
        return True
    # HTML saved as .txt without its head: text dense with block tags.
    tags = len(_HTML_TAG.findall(head))
    return tags >= 3 and tags * 40 >= len(head.strip()) // 4


def _short(e: BaseException) -> str:
    return str(e).splitlines()[0][:80] if str(e) else type(e).__name__
