"""Small synthetic ELF files (64-bit, little-endian) for the tests of installer/elf_relink.py: an
ELF header, a load segment, a dynamic section with DT_NEEDED entries, a string table and the
symbol version requirements (``.gnu.version_r``) and definitions (``.gnu.version_d``)."""

from __future__ import annotations

import struct
from collections.abc import Sequence

BASE = 0x400000  # the load address: file offsets and addresses differ, as in real libraries
_HEADER, _PHDR, _DYN = 64, 56, 16
_DT = {"NEEDED": 1, "STRTAB": 5, "STRSZ": 10, "VERDEF": 0x6FFFFFFC, "VERDEFNUM": 0x6FFFFFFD}
_DT |= {"VERNEED": 0x6FFFFFFE, "VERNEEDNUM": 0x6FFFFFFF}


def elf(needed: dict[str, set[str]], defines: Sequence[str] = ()) -> bytes:
    """A shared object needing ``needed`` (library → version names it requires of it) and
    defining the version names ``defines``."""
    strings = bytearray(b"\0")
    index: dict[str, int] = {}

    def name(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.extend(text.encode() + b"\0")
        return index[text]

    for library, versions in needed.items():
        name(library)
        for version in sorted(versions):
            name(version)
    for version in defines:
        name(version)

    versioned = [(library, sorted(versions)) for library, versions in needed.items() if versions]
    verneed = bytearray()
    for position, (library, required) in enumerate(versioned):
        following = 16 + 16 * len(required) if position < len(versioned) - 1 else 0
        verneed += struct.pack("<HHIII", 1, len(required), name(library), 16, following)
        for number, version in enumerate(required):
            aux_next = 16 if number < len(required) - 1 else 0
            verneed += struct.pack("<IHHII", 0, 0, 2 + number, name(version), aux_next)
    verdef = bytearray()
    for position, version in enumerate(defines):
        following = 28 if position < len(defines) - 1 else 0
        verdef += struct.pack("<HHHHIII", 1, 0, position + 1, 1, 0, 20, following)
        verdef += struct.pack("<II", name(version), 0)

    tags = [("NEEDED", index[library]) for library in needed]
    tags += [("STRTAB", 0), ("STRSZ", len(strings))]
    tags += [("VERNEED", 0), ("VERNEEDNUM", len(versioned))] if versioned else []
    tags += [("VERDEF", 0), ("VERDEFNUM", len(defines))] if defines else []
    dynamic_at = _HEADER + 2 * _PHDR
    strtab_at = dynamic_at + (len(tags) + 1) * _DYN
    verneed_at = strtab_at + len(strings) + (-len(strings)) % 8
    verdef_at = verneed_at + len(verneed)
    where = {"STRTAB": strtab_at, "VERNEED": verneed_at, "VERDEF": verdef_at}
    dynamic = b"".join(
        struct.pack("<qQ", _DT[tag], BASE + where[tag] if tag in where else value) for tag, value in tags
    ) + struct.pack("<qQ", 0, 0)
    size = verdef_at + len(verdef)

    header = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header += struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, _HEADER, 0, 0, _HEADER, _PHDR, 2, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 5, 0, BASE, BASE, size, size, 0x1000)
    dyn = struct.pack(
        "<IIQQQQQQ", 2, 6, dynamic_at, BASE + dynamic_at, BASE + dynamic_at, len(dynamic), len(dynamic), 8
    )
    body = (
        header
        + load
        + dyn
        + dynamic
        + bytes(strings)
        + bytes((-len(strings)) % 8)
        + bytes(verneed)
        + bytes(verdef)
    )
    assert len(body) == size
    return body
