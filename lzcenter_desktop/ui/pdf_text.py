"""The text of a PDF as the application's own viewer (QtPdf) reads it: that a document opens, how
many pages it has and what it says — the self-test's check of the documents it makes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page of the PDF ``path``; :class:`ValueError` (Chinese) if it does not open."""
    document = QPdfDocument()
    status = document.load(str(path))
    if status != QPdfDocument.Error.None_:
        raise ValueError(f"无法打开 PDF 文件“{path}”（{status.name}）")
    try:
        return [document.getAllText(page).text() for page in range(document.pageCount())]
    finally:
        document.close()


def squashed(text: str) -> str:
    """``text`` without white space and line breaks (a line may break anywhere in a table cell)."""
    return "".join(text.split())
