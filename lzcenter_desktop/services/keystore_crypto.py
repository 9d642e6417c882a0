"""Sealing a secret with a password: the pure part of the certificate key store.

Used for the key backup (``lzcenter-desktop key export FILE``) and for a key store protected by
an administrator's password.  Standard library only, no new dependency:

* key derivation: :func:`hashlib.scrypt` (``n`` = 2**14, ``r`` = 8, ``p`` = 1, 16-byte random
  salt) gives 64 bytes — 32 for the keystream, 32 for the tag;
* encryption: a keystream of HMAC-SHA256(enc_key, nonce ‖ counter) blocks XORed with the
  plaintext (HMAC as a pseudo-random function in counter mode; 16-byte random nonce);
* integrity: encrypt-then-MAC, HMAC-SHA256(mac_key, associated data ‖ salt ‖ nonce ‖ ciphertext),
  compared in constant time.  A wrong password and an altered file are told apart from nothing:
  both fail the tag, and nothing is decrypted.

A sealed box is a dict of base64 text (JSON-ready).  No Qt, no database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Final

#: The shortest password accepted for sealing (characters).
MIN_PASSWORD_CHARS: Final = 8
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
_SALT_BYTES: Final = 16
_NONCE_BYTES: Final = 16
_BLOCK: Final = 32  # bytes of one HMAC-SHA256 keystream block

WRONG_PASSWORD: Final = "密码错误，或文件已被改动：无法解密证书密钥。请核对密码（区分大小写）后重试。"


class SealError(ValueError):
    """A box that cannot be opened or a password that is refused; the message is Chinese."""


def check_password(password: str) -> None:
    """Refuse a password too short to protect the bureau's certificate keys."""
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise SealError(
            f"密码太短：保护证书密钥的密码至少需要 {MIN_PASSWORD_CHARS} 个字符，"
            f"收到 {len(password or '')} 个。请换一个更长的密码。"
        )


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=64)
    return material[:32], material[32:]


def keystream(enc_key: bytes, nonce: bytes, length: int) -> bytes:
    """``length`` bytes of HMAC-SHA256(enc_key, nonce ‖ 8-byte big-endian counter) blocks."""
    blocks = (length + _BLOCK - 1) // _BLOCK
    stream = b"".join(
        hmac.new(enc_key, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest() for i in range(blocks)
    )
    return stream[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _tag(mac_key: bytes, aad: bytes, salt: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    framed = b"".join(len(part).to_bytes(8, "big") + part for part in (aad, salt, nonce, ciphertext))
    return hmac.new(mac_key, framed, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal(password: str, plaintext: bytes, aad: bytes = b"") -> dict[str, str | int]:
    """``plaintext`` encrypted and authenticated under ``password`` (``aad`` authenticated, not
    stored).  Refuses a password shorter than :data:`MIN_PASSWORD_CHARS`."""
    check_password(password)
    salt, nonce = secrets.token_bytes(_SALT_BYTES), secrets.token_bytes(_NONCE_BYTES)
    enc_key, mac_key = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = _xor(plaintext, keystream(enc_key, nonce, len(plaintext)))
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": _b64(salt),
        "cipher": "hmac-sha256-ctr+hmac-sha256",
        "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
        "tag": _b64(_tag(mac_key, aad, salt, nonce, ciphertext)),
    }


def _field(box: dict[str, object], name: str) -> bytes:
    value = box.get(name)
    if not isinstance(value, str):
        raise SealError(f"文件不完整：缺少“{name}”一项，不是本系统导出的证书密钥备份。")
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise SealError(f"文件已损坏：“{name}”一项不是有效的 Base64 文本。") from exc


def _cost(box: dict[str, object], name: str, default: int, ceiling: int) -> int:
    value = box.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= ceiling:
        raise SealError(f"文件已损坏：密钥派生参数“{name}”无效。")
    return value


def open_sealed(password: str, box: dict[str, object], aad: bytes = b"") -> bytes:
    """The plaintext of ``box``; :class:`SealError` (:data:`WRONG_PASSWORD`) for a wrong password
    or an altered box."""
    if box.get("kdf") != "scrypt" or box.get("cipher") != "hmac-sha256-ctr+hmac-sha256":
        raise SealError("文件的加密方式无法识别，不是本系统导出的证书密钥备份。")
    salt, nonce = _field(box, "salt"), _field(box, "nonce")
    ciphertext, tag = _field(box, "ciphertext"), _field(box, "tag")
    n = _cost(box, "n", SCRYPT_N, 2**20)
    if n & (n - 1) or n < 2:
        raise SealError("文件已损坏：密钥派生参数“n”无效。")
    r, p = _cost(box, "r", SCRYPT_R, 32), _cost(box, "p", SCRYPT_P, 16)
    try:
        enc_key, mac_key = _derive(password or "", salt, n, r, p)
    except ValueError as exc:
        raise SealError("文件已损坏：密钥派生参数无效。") from exc
    if not hmac.compare_digest(tag, _tag(mac_key, aad, salt, nonce, ciphertext)):
        raise SealError(WRONG_PASSWORD)
    return _xor(ciphertext, keystream(enc_key, nonce, len(ciphertext)))
