"""Cutting a multi-page PDF written by reportlab into one PDF per page (:func:`split_pages`).

A batch of certificates is drawn as one document, whose shared objects (fonts, their subsets)
are formatted once, and then cut into a file per certificate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

_OBJ_REF: Final = re.compile(rb"(\d+) 0 R\b")
_TITLE_ENTRY: Final = re.compile(rb"/Title \((?:\\.|[^\\)])*\)")


def _pdf_string(text: str) -> bytes:
    """``text`` as reportlab writes a PDF text string (for the /Title of a split file)."""
    from reportlab.pdfbase import pdfdoc

    return bytes(pdfdoc.PDFString(text).format(pdfdoc.PDFDocument(invariant=1)))


def split_pages(data: bytes, titles: Sequence[str]) -> list[bytes]:
    """Cut a multi-page PDF written by reportlab into one PDF per page, the ``i``-th titled
    ``titles[i]``.

    Each file holds its page, the page's content stream and everything the page refers to (the
    shared fonts, their subsets, ToUnicode maps), a one-page ``Pages`` node, the catalog and the
    document information with its own title; objects are renumbered densely and the
    cross-reference table rebuilt.  Rendering a batch as one document and cutting it is about
    twice as fast as a document per certificate: the shared objects are formatted once.
    Raises :class:`ValueError` if ``data`` is not laid out as reportlab writes it.
    """
    import hashlib

    tail = data[-64:]
    match = re.search(rb"startxref\n(\d+)\n%%EOF", tail)
    if match is None:
        raise ValueError("not a reportlab PDF: no startxref")
    xref_at = int(match.group(1))
    header_end = data.index(b"\n", data.index(b"\n") + 1) + 1
    xref = data[xref_at:].split(b"trailer", 1)
    lines = xref[0].split(b"\n")
    if lines[0] != b"xref" or not lines[1].startswith(b"0 "):
        raise ValueError("not a reportlab PDF: unexpected xref")
    count = int(lines[1].split()[1])
    offsets = [int(line[:10]) for line in lines[2 : 2 + count]]
    trailer = xref[1]
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))  # type: ignore[union-attr]
    info = int(re.search(rb"/Info (\d+) 0 R", trailer).group(1))  # type: ignore[union-attr]

    ends = sorted([*offsets[1:], xref_at])
    bodies: dict[int, bytes] = {}
    for number in range(1, count):
        start = offsets[number]
        end = ends[ends.index(start) + 1]
        chunk = data[start:end]
        head = f"{number} 0 obj\n".encode()
        if not chunk.startswith(head) or not chunk.endswith(b"endobj\n"):
            raise ValueError(f"not a reportlab PDF: object {number}")
        bodies[number] = chunk[len(head) : -len(b"endobj\n")]

    def dict_part(body: bytes) -> bytes:
        cut = body.find(b"\nstream\n")
        return body if cut < 0 else body[:cut]

    pages_obj = int(re.search(rb"/Pages (\d+) 0 R", dict_part(bodies[root])).group(1))  # type: ignore[union-attr]
    kids_match = re.search(rb"/Kids \[([^\]]*)\]", dict_part(bodies[pages_obj]))
    if kids_match is None:
        raise ValueError("not a reportlab PDF: no page list")
    kids = [int(k) for k in _OBJ_REF.findall(kids_match.group(1))]
    if len(kids) != len(titles):
        raise ValueError(f"{len(kids)} pages, {len(titles)} titles")

    out: list[bytes] = []
    for page, title in zip(kids, titles, strict=True):
        keep = {root, info, pages_obj}
        todo = [page]
        while todo:
            number = todo.pop()
            if number in keep:
                continue
            keep.add(number)
            refs = dict_part(bodies[number])
            if number == page:
                refs = re.sub(rb"/Parent \d+ 0 R", b"", refs)
            todo.extend(int(r) for r in _OBJ_REF.findall(refs))
        order = sorted(keep)
        renumber = {old: new for new, old in enumerate(order, start=1)}

        def ref(m: re.Match[bytes], renumber: dict[int, int] = renumber) -> bytes:
            return b"%d 0 R" % renumber[int(m.group(1))]

        parts = [data[:header_end]]
        positions: list[int] = []
        size = len(parts[0])
        for old in order:
            if old == pages_obj:
                body = b"<<\n/Count 1 /Kids [ %d 0 R ] /Type /Pages\n>>\n" % renumber[page]
            else:
                body = bodies[old]
                if old == info:
                    found = _TITLE_ENTRY.search(body)
                    if found is not None:
                        body = body[: found.start()] + b"/Title " + _pdf_string(title) + body[found.end() :]
                cut = body.find(b"\nstream\n")
                body = _OBJ_REF.sub(ref, body) if cut < 0 else _OBJ_REF.sub(ref, body[:cut]) + body[cut:]
            obj = b"%d 0 obj\n" % renumber[old] + body + b"endobj\n"
            positions.append(size)
            parts.append(obj)
            size += len(obj)
        digest = hashlib.md5(b"".join(parts), usedforsecurity=False).hexdigest().encode()
        xref_lines = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(order) + 1)]
        xref_lines.extend(b"%010d 00000 n \n" % p for p in positions)
        parts.extend(xref_lines)
        parts.append(
            b"trailer\n<<\n/ID \n[<%s><%s>]\n%% ReportLab generated PDF document -- digest (opensource)\n\n"
            b"/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (digest, digest, renumber[info], renumber[root], len(order) + 1, size)
        )
        out.append(b"".join(parts))
    return out
