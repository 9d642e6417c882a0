"""What a recognition certificate (认定证书) says: :class:`CertificateSpec`, its texts, its
verification code, and the checks made before anything is drawn (empty fields, unprintable
characters, glyphs missing from the chosen faces).

The drawing is in :mod:`lzcenter_desktop.documents.certificate_page`; the public API is
:mod:`lzcenter_desktop.documents.certificate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from lzcenter_desktop.documents.fonts import face_for, require_glyphs_multi
from lzcenter_desktop.documents.layout import ISSUER, chinese_date
from lzcenter_desktop.documents.textcheck import refuse_unprintable
from lzcenter_desktop.documents.verify import make_code

TITLE: Final = "认定证书"
BODY: Final = (
    "经专家评审、现场考察和社会公示，根据《柳州市工程技术研究中心管理办法》，"
    "认定上述中心为柳州市工程技术研究中心。\n特发此证。"
)
QR_CAPTION: Final = "扫码或输入验证码核验真伪"
#: Printed (in red, under the number) on a certificate not made from the register's recognition
#: records, e.g. ``document certificate --name … --number …``.
UNREGISTERED_NOTE: Final = "未登记：非依据本系统认定记录生成"

Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class CertificateSpec:
    """What one certificate says.  ``center_name`` is the registered name (第二十六条 form)."""

    number: str
    center_name: str
    host_name: str
    recognition_doc_no: str
    date: date
    issuer: str = ISSUER
    #: ``False`` for a certificate not made from the register's recognition records: it then
    #: carries :data:`UNREGISTERED_NOTE`.
    registered: bool = True


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _validate(spec: CertificateSpec) -> None:
    fields = {
        "证书编号": spec.number,
        "中心名称": spec.center_name,
        "依托单位": spec.host_name,
        "认定文号": spec.recognition_doc_no,
        "发证单位": spec.issuer,
    }
    for label, value in fields.items():
        if not _clean(value):
            raise ValueError(f"证书的“{label}”不能为空。")
    refuse_unprintable(fields, what="证书的")


def certificate_code(spec: CertificateSpec, key: bytes) -> str:
    """The verification code printed on the certificate ``spec`` under ``key`` (what the QR code holds)."""
    return make_code(_clean(spec.number), spec.center_name, spec.date, key)


def certificate_texts(spec: CertificateSpec) -> dict[str, str]:
    """Every text printed on the certificate except the verification code, keyed by Chinese field."""
    return {
        "标题": TITLE,
        "证书编号": f"编号：{_clean(spec.number)}",
        "中心名称": _clean(spec.center_name),
        "依托单位": f"依托单位：{_clean(spec.host_name)}",
        "正文": BODY,
        "认定文号": f"认定文号：{_clean(spec.recognition_doc_no)}",
        "发证单位": _clean(spec.issuer),
        "日期": chinese_date(spec.date),
        "验证说明": QR_CAPTION,
    } | ({} if spec.registered else {"登记说明": UNREGISTERED_NOTE})


_BOLD_FIELDS: Final = ("标题", "中心名称", "发证单位")


#: The two faces a certificate is set in, by role; ``faces=`` may replace either with another face
#: (a bundled key such as ``sans-bold`` or a discovered system face's name such as ``SimHei``).
DEFAULT_FACES: Final[dict[str, str]] = {"serif": "serif", "serif-bold": "serif-bold"}


def _resolve_faces(faces: Mapping[str, str] | None) -> dict[str, str]:
    chosen = dict(DEFAULT_FACES)
    for role, face in (faces or {}).items():
        if role not in DEFAULT_FACES:
            raise ValueError(f"证书没有“{role}”字体角色（可用：serif、serif-bold）。")
        chosen[role] = face_for(face).name
    return chosen


def _check_glyphs(specs: Sequence[CertificateSpec], faces: Mapping[str, str] | None = None) -> None:
    """All fields of all certificates, reported together (field names carry the number in a batch)."""
    chosen = _resolve_faces(faces)
    checks: list[tuple[dict[str, str], str]] = []
    many = len(specs) > 1
    for spec in specs:
        texts = certificate_texts(spec)
        prefix = f"证书 {_clean(spec.number)} 的" if many else ""
        bold = {f"{prefix}{k}": v for k, v in texts.items() if k in _BOLD_FIELDS}
        regular = {f"{prefix}{k}": v for k, v in texts.items() if k not in _BOLD_FIELDS}
        checks.append((bold, chosen["serif-bold"]))
        checks.append((regular, chosen["serif"]))
    require_glyphs_multi(checks)


def _seed_texts(specs: Sequence[CertificateSpec], codes: Sequence[str]) -> dict[str, str]:
    """Role → every character the certificates of ``specs`` draw in that role's face."""
    bold: set[str] = set()
    regular: set[str] = set(QR_CAPTION)
    for spec, code in zip(specs, codes, strict=True):
        for field, text in certificate_texts(spec).items():
            (bold if field in _BOLD_FIELDS else regular).update(text)
        regular.update(code)
    return {"serif-bold": "".join(sorted(bold)), "serif": "".join(sorted(regular))}
