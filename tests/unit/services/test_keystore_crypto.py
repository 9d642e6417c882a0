"""services/keystore_crypto.py: sealing the certificate keys under a password."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from lzcenter_desktop.services import keystore_crypto as kc


def _flip(box: dict[str, str | int], name: str) -> dict[str, object]:
    raw = bytearray(base64.b64decode(str(box[name])))
    raw[0] ^= 1
    return {**box, name: base64.b64encode(bytes(raw)).decode("ascii")}


def test_a_sealed_key_opens_with_its_password_and_hides_the_plaintext() -> None:
    secret = b"\x01" * 32
    box = kc.seal("柳州市科技局管理员", secret, b"ring")
    assert secret.hex() not in str(box) and base64.b64encode(secret).decode() not in str(box)
    assert kc.open_sealed("柳州市科技局管理员", dict(box), b"ring") == secret
    again = kc.seal("柳州市科技局管理员", secret, b"ring")
    assert again["salt"] != box["salt"] and again["ciphertext"] != box["ciphertext"]


def test_a_wrong_password_is_refused_in_chinese() -> None:
    box = kc.seal("correct horse", b"k" * 32)
    with pytest.raises(kc.SealError, match="密码错误"):
        kc.open_sealed("correct hors", dict(box))
    with pytest.raises(kc.SealError, match="密码错误"):
        kc.open_sealed("Correct horse", dict(box))  # case matters


@pytest.mark.parametrize("name", ["ciphertext", "nonce", "salt", "tag"])
def test_any_altered_part_is_refused(name: str) -> None:
    box = kc.seal("correct horse", b"k" * 32)
    with pytest.raises(kc.SealError, match="密码错误"):
        kc.open_sealed("correct horse", _flip(box, name))


def test_the_associated_data_is_authenticated() -> None:
    box = kc.seal("correct horse", b"k" * 32, b"ring-a")
    with pytest.raises(kc.SealError, match="密码错误"):
        kc.open_sealed("correct horse", dict(box), b"ring-b")


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True), (9, True), (0, False)])
def test_the_password_is_at_least_eight_characters(length: int, accepted: bool) -> None:
    password = "密" * length
    if accepted:
        assert kc.open_sealed(password, dict(kc.seal(password, b"x" * 16))) == b"x" * 16
    else:
        with pytest.raises(kc.SealError, match=f"至少需要 8 个字符，收到 {length} 个"):
            kc.seal(password, b"x" * 16)


@pytest.mark.parametrize("length", [0, 1, 31, 32, 33, 64, 65])
def test_the_keystream_is_hmac_blocks_in_counter_mode(length: int) -> None:
    enc, nonce = b"e" * 32, b"n" * 16
    stream = kc.keystream(enc, nonce, length)
    assert len(stream) == length
    expected = b"".join(
        hmac.new(enc, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest() for i in range(3)
    )
    assert stream == expected[:length]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kdf": "pbkdf2"}, "加密方式无法识别"),
        ({"n": 3}, "参数“n”无效"),
        ({"n": 2**21}, "参数“n”无效"),
        ({"r": 0}, "参数“r”无效"),
        ({"salt": "not base64!"}, "不是有效的 Base64"),
        ({"tag": None}, "缺少“tag”"),
    ],
)
def test_a_malformed_box_is_refused_naming_what(change: dict[str, object], message: str) -> None:
    box: dict[str, object] = {**kc.seal("correct horse", b"k" * 16), **change}
    with pytest.raises(kc.SealError, match=message):
        kc.open_sealed("correct horse", box)
