"""The recognition certificate (认定证书): A4 landscape, with a QR code that can be checked offline.

A certificate shows its number, the centre and its host, the recognition document number and
date, the issuer with a place for the seal (over the date, as is customary), and a QR code holding
the version-2 verification code of :func:`lzcenter_desktop.documents.verify.make_code`
(``LZ2-日期-序号-校验码``, QR alphanumeric, so the QR code is small and coarse) — the same code is
printed beside the QR code on one line at 10 pt so it can be read aloud and typed.  Anyone with
the bureau's key (the application) can then tell whether a certificate is genuine with
``lzcenter-desktop verify CODE`` or the 验证证书 dialog.

Every character is checked against its font before anything is drawn; output is byte-for-byte
repeatable.  :func:`render_batch` makes many certificates, one file each or one multi-page file,
with a progress callback that can cancel (then nothing is written).

This module holds :func:`render` and :func:`render_batch` and is the one to import: it re-exports
every public name of the parts, which are :mod:`~lzcenter_desktop.documents.certificate_spec`
(what a certificate says, its code and checks), :mod:`~lzcenter_desktop.documents.certificate_page`
(drawing the pages, cutting a batch into files), :mod:`~lzcenter_desktop.documents.certificate_fork`
(a large folder batch drawn by two processes), :mod:`~lzcenter_desktop.documents.qr` (the QR
encoder) and :mod:`~lzcenter_desktop.documents.pdf_split` (one PDF per page).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from lzcenter_desktop.documents.certificate_fork import (
    FORK_MIN_BATCH,
    FORK_TIMEOUT_MIN,
    FORK_TIMEOUT_PER_CERT,
    _fork_allowed,
    _render_files_forked,
)
from lzcenter_desktop.documents.certificate_page import (
    CODE_MIN_SIZE,
    CODE_SIZE,
    PAGE_SIZE,
    QR_QUIET_MODULES,
    QR_SIZE_MM,
    QR_X_MM,
    QR_Y_MM,
    _document,
    _render_files,
    code_lines,
)
from lzcenter_desktop.documents.certificate_spec import (
    BODY,
    DEFAULT_FACES,
    QR_CAPTION,
    TITLE,
    UNREGISTERED_NOTE,
    CertificateSpec,
    Progress,
    _check_glyphs,
    _clean,
    _seed_texts,
    _validate,
    certificate_code,
    certificate_texts,
)
from lzcenter_desktop.documents.layout import safe_file_stem, write_atomically
from lzcenter_desktop.documents.pdf_split import split_pages
from lzcenter_desktop.documents.qr import qr_inline_image, qr_matrix

__all__ = [
    "BODY",
    "CODE_MIN_SIZE",
    "CODE_SIZE",
    "DEFAULT_FACES",
    "FORK_MIN_BATCH",
    "FORK_TIMEOUT_MIN",
    "FORK_TIMEOUT_PER_CERT",
    "PAGE_SIZE",
    "QR_CAPTION",
    "QR_QUIET_MODULES",
    "QR_SIZE_MM",
    "QR_X_MM",
    "QR_Y_MM",
    "TITLE",
    "UNREGISTERED_NOTE",
    "CertificateSpec",
    "Progress",
    "certificate_code",
    "certificate_texts",
    "code_lines",
    "qr_inline_image",
    "qr_matrix",
    "render",
    "render_batch",
    "split_pages",
]


def render(
    spec: CertificateSpec,
    path: Path,
    *,
    key: bytes,
    seal_guide: bool = False,
    faces: Mapping[str, str] | None = None,
) -> Path:
    """Write one certificate to ``path`` and return it.

    ``key`` is the bureau's verification key.  ``seal_guide`` draws a dashed circle where the seal
    goes (for a trial print; off for the real certificate).  Raises :class:`ValueError` for an
    empty field and :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before writing.
    """
    _validate(spec)
    _check_glyphs([spec], faces)
    code = certificate_code(spec, key)
    seed = _seed_texts([spec], [code])
    files = _render_files(
        [spec], [code], seal_guide=seal_guide, faces=faces, seed=seed, progress=None, total=1
    )
    assert files is not None
    return write_atomically(path, files[0])  # the same bytes as in a batch of certificates like it


def render_batch(
    specs: Sequence[CertificateSpec],
    target: Path,
    *,
    key: bytes,
    progress: Progress | None = None,
    seal_guide: bool = False,
    faces: Mapping[str, str] | None = None,
) -> list[Path]:
    """Make many certificates; return the files written.

    If ``target`` ends in ``.pdf`` it is one multi-page PDF (one certificate a page); otherwise it
    is a folder, created if needed, that receives ``<证书编号>.pdf`` for each certificate.
    ``progress(done, total)`` is called after each certificate; returning ``False`` cancels, and
    then nothing is written and ``[]`` is returned.  Every certificate is checked (empty fields,
    duplicate numbers, glyphs) before the first is drawn.

    A folder batch is drawn as one multi-page document and cut into files (:func:`split_pages`);
    all certificates of a batch share their font subsets (:func:`_seed_texts`), so the shared
    objects are formatted once.  On Linux, from a single-threaded process without Qt, a folder
    batch of :data:`FORK_MIN_BATCH` or more is drawn half by a forked child at the same time
    (:func:`_render_files_forked`); the files are byte-for-byte the same.
    """
    if not specs:
        return []
    with _gc_paused():
        return _render_batch(specs, target, key=key, progress=progress, seal_guide=seal_guide, faces=faces)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is made (it would otherwise sweep the parsed
    fonts' hundred thousand objects again and again for nothing; ≈ 3 % of a batch), as it was after."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render_batch(
    specs: Sequence[CertificateSpec],
    target: Path,
    *,
    key: bytes,
    progress: Progress | None,
    seal_guide: bool,
    faces: Mapping[str, str] | None,
) -> list[Path]:
    for spec in specs:
        _validate(spec)
    numbers = [_clean(s.number) for s in specs]
    stems = [safe_file_stem(n, "证书") for n in numbers]
    seen: set[str] = set()
    for number, stem in zip(numbers, stems, strict=True):
        if stem.casefold() in seen:
            raise ValueError(f"“证书编号”重复：{number}。每份证书的编号必须不同。")
        seen.add(stem.casefold())
    _check_glyphs(specs, faces)
    codes = [certificate_code(s, key) for s in specs]
    total = len(specs)
    seed = _seed_texts(specs, codes)
    if target.suffix.lower() == ".pdf":
        data = _document(
            specs, codes, seal_guide=seal_guide, progress=progress, total=total, faces=faces, seed=seed
        )
        return [] if data is None else [write_atomically(target, data)]
    if _fork_allowed(total):
        files = _render_files_forked(
            specs, codes, seal_guide=seal_guide, faces=faces, seed=seed, progress=progress
        )
    else:
        files = _render_files(
            specs, codes, seal_guide=seal_guide, faces=faces, seed=seed, progress=progress, total=total
        )
    if files is None:
        return []
    return [write_atomically(target / f"{stem}.pdf", data) for stem, data in zip(stems, files, strict=True)]
