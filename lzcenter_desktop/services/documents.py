"""Documents from the database: plaques, certificates, official lists, and certificate verification.

The documents layer (``lzcenter_desktop.documents``) draws; this module decides *what* is drawn
from the recorded centres and recognitions, keeps the bureau's verification key, and checks
certificate codes against the register.

* :func:`plaque_spec` / :func:`certificate_spec` — the specs of one centre, from its latest
  recognition (第十条（五）: 认定文号, date, 牌匾编号, 证书编号);
* :func:`make_plaque`, :func:`make_certificate`, :func:`make_certificate_batch` — write PDFs;
  a batch is one recognition document (one 认定文号 = one 认定批次) and can be cancelled;
* :func:`make_list` — 拟认定名单, 认定名单, 评估结果, 整改通知, 年度报告汇总 of a year (the call
  or evaluation year, the latest with data by default) and, where the bureau publishes in parts,
  of one batch (a 公示 or a 认定文号); :func:`list_choices` gives the years and batches with data;
* :func:`bureau_key` — the current HMAC key, kept in the user's key store outside the database
  (:mod:`~lzcenter_desktop.services.documents_key`; rotation and backup there);
* :func:`verify_certificate` — is a code genuine, looked up in the register (version 2: by the
  serial and date of the code, :func:`certificate_candidates`; version 1: by certificate number).

A centre that has been revoked (已撤销), has forfeited its title (自动放弃) or was withdrawn (已撤回)
gets no new plaque or certificate: :func:`plaque_spec` and :func:`certificate_spec` refuse with
the date and 文号 of that step of its history (:class:`Ending`), a batch skips it and says so
(:class:`CertificateBatch`), and :func:`verify_certificate` reports a genuine certificate of such
a centre as ``revoked`` — “证书真实，但该中心已于 …… 被撤销（文号）”, never as valid.

Documents are records: every plaque, certificate and list made from the database writes one audit
entry per document (entity ``document``, operation ``issue``: what, which centre, certificate
number, verification code, file) in a unit of work; if that cannot be written, the files just
written are removed again.  A free-form certificate (:func:`write_certificate`, not from a
recognition record) is printed with :data:`~lzcenter_desktop.documents.certificate.UNREGISTERED_NOTE`,
audited as not registered, and verifies as ``unregistered``, not as genuine.

Every error for the clerk is a :class:`~lzcenter_desktop.services.errors.ServiceError` naming the
field; a character the fonts lack comes out as
:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (use :func:`glyph_problem_text`).

This module is the one door: the work is done in

* :mod:`~lzcenter_desktop.services.documents_register` — what the register says (specs, endings,
  recognition batches);
* :mod:`~lzcenter_desktop.services.documents_key` — the bureau's key;
* :mod:`~lzcenter_desktop.services.documents_audit` — the audit entry of each document;
* :mod:`~lzcenter_desktop.services.documents_issue` — plaques, certificates and batches;
* :mod:`~lzcenter_desktop.services.documents_lists` — the lists of a year;
* :mod:`~lzcenter_desktop.services.documents_verify` — checking a verification code.
"""

from __future__ import annotations

from pathlib import Path

from lzcenter_desktop.documents.certificate import CertificateSpec
from lzcenter_desktop.documents.plaque import STANDARD_SIZES, PlaqueSpec
from lzcenter_desktop.documents.verify import VerifyResult, make_code
from lzcenter_desktop.services.documents_audit import AUDIT_ENTITY, AUDIT_OPERATION
from lzcenter_desktop.services.documents_issue import (
    CertificateBatch,
    Progress,
    glyph_problem_text,
    make_certificate,
    make_certificate_batch,
    make_plaque,
    write_certificate,
    write_plaque,
)
from lzcenter_desktop.services.documents_key import KEY_NAME, bureau_key
from lzcenter_desktop.services.documents_lists import (
    BATCH_NAMES,
    LIST_KINDS,
    ListBatch,
    ListYear,
    latest_list_year,
    list_choices,
    list_years,
    make_list,
)
from lzcenter_desktop.services.documents_register import (
    ENDED_STATES,
    BatchInfo,
    DocumentCenter,
    Ending,
    Refusal,
    certificate_spec,
    document_centers,
    plaque_spec,
    recognition_batches,
)
from lzcenter_desktop.services.documents_verify import (
    certificate_candidates,
    registered_name,
    verify_certificate,
)

__all__ = [
    "AUDIT_ENTITY",
    "AUDIT_OPERATION",
    "BATCH_NAMES",
    "ENDED_STATES",
    "KEY_NAME",
    "LIST_KINDS",
    "STANDARD_SIZES",
    "BatchInfo",
    "CertificateBatch",
    "CertificateSpec",
    "DocumentCenter",
    "Ending",
    "ListBatch",
    "ListYear",
    "PlaqueSpec",
    "Progress",
    "Refusal",
    "VerifyResult",
    "bureau_key",
    "certificate_candidates",
    "certificate_spec",
    "document_centers",
    "glyph_problem_text",
    "latest_list_year",
    "list_choices",
    "list_years",
    "make_certificate",
    "make_certificate_batch",
    "make_code",
    "make_list",
    "make_plaque",
    "plaque_spec",
    "recognition_batches",
    "registered_name",
    "render_selftest_page",
    "verify_certificate",
    "write_certificate",
    "write_plaque",
]


def render_selftest_page(path: Path, *, extra_text: str = "") -> Path:
    """Write the self-test page (every bundled face, a QR code, Chinese text) to ``path``.

    Raises :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` if ``extra_text`` has a
    character the fonts lack."""
    from lzcenter_desktop.documents.selftest_page import render_selftest_page as render

    return render(path, extra_text=extra_text)
