"""Offline-verifiable certificate codes (证书验证码).

A code reads ``LZETRC1.<编号>.<YYYYMMDD>.<校验码>``, for example
``LZETRC1.LZGC-2026-001.20261126.K7Q2M4X9B3D5F6H8J2L4``:

* ``LZETRC1`` names the scheme and its version;
* the certificate number (percent-encoded if it has characters other than letters, digits, ``-``
  ``_`` ``.`` ``~``, so a code is always plain ASCII that can be typed or scanned);
* the recognition date;
* the first :data:`MAC_CHARS` characters of the Base32 HMAC-SHA256, under the bureau's key, of
  the number, the centre's name and the date.

The name is deliberately *not* in the code (it would make the QR code large); it is what the
certificate says and what the bureau's database records.  To check a code one needs the key and
the name: either typed from the certificate (``name=``) or looked up by number in the database
(``lookup=``).  A changed number, date or name, a shortened or altered check code, or another key,
all make the code not genuine.  The check uses :func:`hmac.compare_digest` (constant time).

The key is the bureau's secret (at least :data:`MIN_KEY_BYTES` bytes), kept in the database and
made once with :func:`new_key`.  Pure standard library: no Qt, no database, no reportlab.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal
from urllib.parse import quote, unquote

SCHEME: Final = "LZETRC1"
MAC_CHARS: Final = 20  # 100 bits of HMAC-SHA256
MIN_KEY_BYTES: Final = 16
MAX_NUMBER_CHARS: Final = 50  # as long as center.certificate_no may be

Status = Literal["genuine", "forged", "unknown", "malformed", "unverifiable"]

_B32: Final = re.compile(r"^[A-Z2-7]+$")


@dataclass(frozen=True)
class VerifyResult:
    """The answer to “is this certificate genuine?”.

    ``status`` is ``genuine``; ``forged`` (the check code does not match); ``unknown`` (no
    certificate with that number is registered); ``malformed`` (not a certificate code at all);
    ``unverifiable`` (no name to check against was given).  ``message`` says it in Chinese for
    the clerk.  ``number`` and ``date`` are what the code claims (``None`` if it could not be read).
    """

    genuine: bool
    message: str
    number: str | None
    date: date | None
    status: Status = "malformed"
    name: str | None = None


def new_key() -> bytes:
    """A fresh random key for the bureau (32 bytes)."""
    return secrets.token_bytes(32)


def _normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", name))


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"证书验证密钥无效：至少需要 {MIN_KEY_BYTES} 字节，请在“设置”中重新生成密钥。")


def _mac(number: str, name: str, d: date, key: bytes) -> str:
    message = "\x1f".join((SCHEME, number, _normalise_name(name), d.isoformat())).encode("utf-8")
    digest = hmac.new(bytes(key), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:MAC_CHARS]


def make_code(number: str, name: str, d: date, key: bytes) -> str:
    """The verification code of certificate ``number`` for centre ``name`` recognised on ``d``.

    Raises :class:`ValueError` (Chinese, naming the field) for an empty or over-long number, an
    empty name or a too-short key.
    """
    _check_key(key)
    number = (number or "").strip()
    if not number:
        raise ValueError("“证书编号”不能为空。")
    if len(number) > MAX_NUMBER_CHARS:
        raise ValueError(f"“证书编号”不能超过 {MAX_NUMBER_CHARS} 个字符，收到 {len(number)} 个。")
    if any(ch.isspace() for ch in number):
        raise ValueError("“证书编号”不能含有空格。")
    if not _normalise_name(name or ""):
        raise ValueError("“中心名称”不能为空。")
    return f"{SCHEME}.{quote(number, safe='-_.~')}.{d:%Y%m%d}.{_mac(number, name, d, key)}"


@dataclass(frozen=True)
class ParsedCode:
    number: str
    date: date
    mac: str


def parse_code(code: str) -> ParsedCode:
    """Read a code's parts; :class:`ValueError` with a Chinese message if it is not a code."""
    text = re.sub(r"\s+", "", code or "")
    if not text:
        raise ValueError("请输入证书验证码。")
    head, sep, rest = text.partition(".")
    if not sep or head.upper() != SCHEME:
        raise ValueError(f"这不是本系统的证书验证码：验证码应以“{SCHEME}.”开头。")
    parts = rest.rsplit(".", 2)
    if len(parts) != 3 or not parts[0]:
        raise ValueError("证书验证码不完整：应为“LZETRC1.证书编号.日期.校验码”四段。")
    raw_number, raw_date, mac = parts
    try:
        number = unquote(raw_number, errors="strict")
    except UnicodeDecodeError as exc:
        raise ValueError("证书验证码中的证书编号无法识别。") from exc
    if not re.fullmatch(r"\d{8}", raw_date):
        raise ValueError(f"证书验证码中的日期“{raw_date}”应为 8 位数字（年月日）。")
    try:
        d = date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:]))
    except ValueError as exc:
        raise ValueError(f"证书验证码中的日期“{raw_date}”不是有效日期。") from exc
    mac = mac.upper()
    if not _B32.fullmatch(mac):
        raise ValueError("证书验证码中的校验码只能由字母 A–Z 和数字 2–7 组成。")
    return ParsedCode(number=number, date=d, mac=mac)


def check_code(
    code: str, key: bytes, *, lookup: Callable[[str], str | None] | None = None, name: str | None = None,
) -> VerifyResult:
    """Whether ``code`` belongs to a genuine certificate.

    The centre's name is ``name`` if given (typed from the certificate), else ``lookup(number)``
    (the name the database records for that certificate number; ``None`` if there is none).
    Never raises for a bad code: the result says what is wrong, in Chinese.
    """
    _check_key(key)
    try:
        parsed = parse_code(code)
    except ValueError as exc:
        return VerifyResult(False, f"无法核验：{exc}", None, None, "malformed")
    when = f"{parsed.date.year}年{parsed.date.month}月{parsed.date.day}日"
    if name is None and lookup is not None:
        name = lookup(parsed.number)
        if name is None:
            return VerifyResult(
                False,
                f"未登记：本系统没有编号为“{parsed.number}”的证书，证书可能是伪造的，请向市科技局核实。",
                parsed.number, parsed.date, "unknown",
            )
    if name is None or not _normalise_name(name):
        return VerifyResult(
            False, "无法核验：需要证书上的中心名称（或在本系统登记的证书信息）才能核对验证码。",
            parsed.number, parsed.date, "unverifiable",
        )
    expected = _mac(parsed.number, name, parsed.date, key)
    if len(parsed.mac) == MAC_CHARS and hmac.compare_digest(parsed.mac, expected):
        return VerifyResult(
            True, f"证书真实有效：编号 {parsed.number}，{name}，认定日期 {when}。",
            parsed.number, parsed.date, "genuine", name,
        )
    return VerifyResult(
        False,
        f"验证失败：验证码与编号 {parsed.number}、“{name}”、认定日期 {when} 不符。"
        "证书或验证码可能被改动或伪造，请向市科技局核实。",
        parsed.number, parsed.date, "forged", name,
    )
