"""What ``lzcenter-desktop selftest`` (the installer's smoke test) needs below the command line:

* :func:`document_kinds` — every kind of document the program makes, listed from the registries
  of the services (lists, review documents, 第五章 documents) plus the plaque, the certificate, the
  declaration form and the Excel templates; the self-test makes one of each, and a test keeps the
  two in step, so a new kind cannot go unchecked;
* :func:`pdf_fonts` — the fonts of a PDF and which of them are not embedded;
* :func:`certificate_qr_area` and :func:`read_qr` — where a certificate prints its QR code, and the
  text of a QR code read off the page (then checked by
  :func:`~lzcenter_desktop.services.documents.verify_certificate`);
* :func:`migrate_from_oldest` — a database built at the oldest schema revision this program can
  upgrade (``KNOWN_REVISIONS[0]``), brought to head by the same code as a clerk's old file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lzcenter_desktop.documents.pdf_fonts import PdfFonts
from lzcenter_desktop.documents.pdf_fonts import pdf_fonts as _pdf_fonts
from lzcenter_desktop.services.documents_evaluation_base import KINDS as EVALUATION_KINDS
from lzcenter_desktop.services.documents_lists import LIST_KINDS
from lzcenter_desktop.services.documents_review_base import KINDS as REVIEW_KINDS

__all__ = [
    "DocumentKind",
    "MigrationCheck",
    "PdfFonts",
    "QrArea",
    "certificate_qr_area",
    "document_kinds",
    "migrate_from_oldest",
    "pdf_fonts",
    "read_qr",
]

#: The documents made outside the three registries: (group, kind, Chinese name).
OTHER_KINDS: tuple[tuple[str, str, str], ...] = (
    ("issue", "plaque", "牌匾"),
    ("issue", "certificate", "认定证书"),
    ("declaration", "application_form", "认定申请书 PDF"),
    ("declaration", "blank_template", "申报 Excel 模板"),
    ("declaration", "workbook", "申报书 Excel（已填写）"),
    ("annual", "report_template", "工作年报 Excel 模板"),
)


@dataclass(frozen=True, slots=True)
class DocumentKind:
    group: str  # issue, list, declaration, review, evaluation, annual
    kind: str  # the registry's key
    label: str  # its Chinese name

    @property
    def key(self) -> str:
        return f"{self.group}:{self.kind}"


def document_kinds() -> tuple[DocumentKind, ...]:
    """Every kind of document the program makes (see the module's doc)."""
    found = [DocumentKind(g, k, label) for g, k, label in OTHER_KINDS[:2]]
    found += [DocumentKind("list", k, label) for k, label in LIST_KINDS.items()]
    found += [DocumentKind(g, k, label) for g, k, label in OTHER_KINDS[2:]]
    found += [DocumentKind("review", k, label) for k, label in REVIEW_KINDS.items()]
    found += [DocumentKind("evaluation", k, label) for k, label in EVALUATION_KINDS.items()]
    return tuple(found)


def pdf_fonts(path: Path) -> PdfFonts:
    """The fonts of the PDF ``path`` and which are not embedded (:class:`ValueError` if unreadable)."""
    return _pdf_fonts(path)


@dataclass(frozen=True, slots=True)
class QrArea:
    """Where a certificate's QR code is printed, in mm from the page's top-left corner."""

    page_width_mm: float
    page_height_mm: float
    left_mm: float
    top_mm: float
    size_mm: float  # quiet zone included


def certificate_qr_area() -> QrArea:
    from lzcenter_desktop.documents import certificate_page as page

    height = 210.0
    return QrArea(297.0, height, page.QR_X_MM, height - page.QR_Y_MM - page.QR_SIZE_MM, page.QR_SIZE_MM)


def read_qr(matrix: Sequence[Sequence[bool]]) -> str:
    """The text of a QR code given as rows of modules; :class:`ValueError` (Chinese) if unreadable."""
    from lzcenter_desktop.documents.qr_read import read_qr_matrix

    return read_qr_matrix(matrix)


@dataclass(frozen=True, slots=True)
class MigrationCheck:
    from_revision: str
    to_revision: str
    tables: int


def migrate_from_oldest(folder: Path) -> MigrationCheck:
    """Build ``folder/oldest.sqlite`` at the oldest known revision, migrate it to head as a clerk's
    old file is migrated (:func:`~lzcenter_desktop.services.migrations.migrate`, backup first), and
    check it is at head; :class:`ValueError` (Chinese) otherwise."""
    from lzcenter_desktop.services.migrations import migrate
    from lzcenter_desktop.storage import schema
    from lzcenter_desktop.storage.engine import Database

    path = Path(folder) / "oldest.sqlite"
    oldest = schema.KNOWN_REVISIONS[0]
    db = Database.open(str(path))
    try:
        schema.upgrade(db.engine, oldest)
        if schema.current_revision(db.engine) != oldest:
            raise ValueError(f"未能建立第 {oldest} 版结构的数据库")
    finally:
        db.dispose()
    report = migrate(str(path))
    db = Database.open(str(path))
    try:
        reached = schema.current_revision(db.engine)
        tables = len(db.table_names())
    finally:
        db.dispose()
    if report.from_revision != oldest or reached != schema.HEAD_REVISION:
        raise ValueError(f"数据库从第 {oldest} 版升级后为第 {reached} 版，应为第 {schema.HEAD_REVISION} 版")
    return MigrationCheck(oldest, str(reached), tables)
