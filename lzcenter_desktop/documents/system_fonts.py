"""The Windows fonts offered besides the bundled faces (宋体, 黑体, 楷体, 仿宋 in
``%WINDIR%\\Fonts``, TrueType only): :func:`system_faces` finds them and makes them known to
:func:`~lzcenter_desktop.documents.font_faces.face_for`.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Final

from lzcenter_desktop.documents.font_faces import FontFace, FontRole, remember_system_faces

#: The Windows fonts offered besides the bundled ones: (file, reportlab name, role, Chinese label).
#: TrueType outlines only: reportlab cannot embed CFF (``OTTO``) fonts.
WINDOWS_FONTS: Final[tuple[tuple[str, str, FontRole, str], ...]] = (
    ("simsun.ttc", "SimSun", "serif", "宋体"),
    ("simhei.ttf", "SimHei", "sans", "黑体"),
    ("simkai.ttf", "KaiTi", "serif", "楷体"),
    ("simfang.ttf", "FangSong", "serif", "仿宋"),
)
_TRUETYPE_TAGS: Final = (b"\x00\x01\x00\x00", b"true")


def windows_fonts_dir() -> Path:
    """``%WINDIR%\\Fonts`` (``C:\\Windows\\Fonts`` when ``WINDIR`` is not set)."""
    return Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def _is_truetype(path: Path) -> bool:
    """Whether ``path`` holds TrueType outlines (a ``.ttc`` is judged by its first font)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)  # a collection: tag, version, number of fonts, first font's offset
            if head[:4] == b"ttcf":
                if len(head) < 16:
                    return False
                (offset,) = struct.unpack(">I", head[12:16])
                handle.seek(offset)
                head = handle.read(4)
            return head[:4] in _TRUETYPE_TAGS
    except OSError:
        return False


def system_faces(folder: Path | None = None) -> tuple[FontFace, ...]:
    """The Windows fonts 宋体, 黑体, 楷体, 仿宋 installed in ``folder`` (default
    :func:`windows_fonts_dir`), TrueType only, in that order; ``()`` where there are none (Linux).

    Each face found becomes known to :func:`~lzcenter_desktop.documents.font_faces.face_for` by its
    name (``SimHei``) and label (``黑体``).
    """
    folder = folder if folder is not None else windows_fonts_dir()
    try:
        present = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return ()
    found: list[FontFace] = []
    for file_name, name, role, label in WINDOWS_FONTS:
        path = present.get(file_name)
        if path is None or not _is_truetype(path):
            continue
        face = FontFace(name=name, path=path, role=role, bold=False, family=name, label=label)
        found.append(face)
    remember_system_faces(found)
    return tuple(found)
