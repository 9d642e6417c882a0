"""The bundled CJK faces (:func:`bundled_faces`, the table of the four faces shipped in
``resources/fonts``), the list of 通用规范汉字表 they are checked against, and :func:`face_for`,
which finds a face by key or name among the bundled ones and the system faces discovered so far
(:mod:`lzcenter_desktop.documents.system_fonts` adds those).  No Qt, no reportlab here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from lzcenter_desktop.paths import fonts_dir

FontRole = Literal["serif", "sans"]

#: The committed list of the 8,105 characters of 通用规范汉字表 (2013), one "U+XXXX<TAB>字" a line.
TONGGUI_LIST_FILE: Final = "tongyong-guifan-hanzi-2013.txt"
TONGGUI_COUNT: Final = 8105


@dataclass(frozen=True)
class FontFace:
    """One bundled TrueType face.

    ``name`` is both the PostScript name inside the file and the name it is registered under in
    reportlab; ``family`` is the family name Qt reports; ``label`` is the Chinese name used in
    messages to the user.
    """

    name: str
    path: Path
    role: FontRole
    bold: bool
    family: str
    label: str

    @property
    def key(self) -> str:
        """``serif``, ``serif-bold``, ``sans`` or ``sans-bold`` (keys of :func:`register_reportlab_fonts`)."""
        return f"{self.role}-bold" if self.bold else self.role

    @property
    def display_name(self) -> str:
        """How the face is named in messages, e.g. ``宋体 常规（LZSerifSC-Regular）``."""
        return f"{self.label}（{self.name}）"


# (file stem = reportlab name, role, bold, family inside the file, Chinese label)
_FACE_TABLE: Final[tuple[tuple[str, FontRole, bool, str, str], ...]] = (
    ("LZSerifSC-Regular", "serif", False, "LZCenter Serif SC", "宋体 常规"),
    ("LZSerifSC-Bold", "serif", True, "LZCenter Serif SC", "宋体 粗体"),
    ("LZSansSC-Regular", "sans", False, "LZCenter Sans SC", "黑体 常规"),
    ("LZSansSC-Bold", "sans", True, "LZCenter Sans SC", "黑体 粗体"),
)

SERIF_FAMILY: Final = "LZCenter Serif SC"
SANS_FAMILY: Final = "LZCenter Sans SC"


class FontFileMissingError(FileNotFoundError):
    """A bundled font file is not where it should be (a broken installation)."""

    def __init__(self, face: FontFace) -> None:
        self.face = face
        super().__init__(
            f"缺少字体文件“{face.path}”（{face.label}）。程序安装不完整，请重新安装，"
            "或在源代码目录运行 resources/fonts/build_fonts.py 重新生成字体。"
        )


def bundled_faces() -> tuple[FontFace, ...]:
    """Every bundled face, serif first.  The files are in :func:`lzcenter_desktop.paths.fonts_dir`."""
    folder = fonts_dir()
    return tuple(
        FontFace(name=stem, path=folder / f"{stem}.ttf", role=role, bold=bold, family=family, label=label)
        for stem, role, bold, family, label in _FACE_TABLE
    )


_lock = threading.RLock()
_system_faces: dict[str, FontFace] = {}  # name → face, every system face found so far


def remember_system_faces(found: Iterable[FontFace]) -> None:
    """Make the system faces ``found`` known to :func:`face_for` by name and label."""
    with _lock:
        for face in found:
            _system_faces[face.name] = face


def face_for(face: FontFace | str) -> FontFace:
    """A :class:`FontFace` from itself, its key (``serif-bold``) or its name (``LZSerifSC-Bold``).

    System faces found by :func:`~lzcenter_desktop.documents.system_fonts.system_faces` are known
    by their name (``SimHei``) or their Chinese label (``黑体``) once discovered.
    """
    if isinstance(face, FontFace):
        return face
    for candidate in bundled_faces():
        if face in (candidate.key, candidate.name):
            return candidate
    with _lock:
        for candidate in _system_faces.values():
            if face in (candidate.name, candidate.label):
                return candidate
    known = "、".join([f.key for f in bundled_faces()] + [f.name for f in _system_faces.values()])
    raise ValueError(f"没有名为“{face}”的内置字体或已安装的系统字体（可用：{known}）")


def tonggui_chars() -> tuple[str, ...]:
    """The 8,105 characters of 通用规范汉字表 (2013), read from the committed list."""
    path = fonts_dir() / TONGGUI_LIST_FILE
    chars: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            chars.append(chr(int(line.split("\t", 1)[0][2:], 16)))
    return tuple(chars)
