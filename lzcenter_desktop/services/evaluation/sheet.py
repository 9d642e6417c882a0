"""The evaluation sheet of a year: ``forms/evaluation-<year>.toml`` (:mod:`domain.evaluation_sheet`)."""

from __future__ import annotations

from pathlib import Path

from lzcenter_desktop import paths
from lzcenter_desktop.domain.evaluation_sheet import EvaluationSheet, parse_evaluation_sheet
from lzcenter_desktop.domain.formdef import pick_year
from lzcenter_desktop.services.errors import ServiceError


def load_evaluation_sheet(year: int, forms_dir: Path | None = None) -> EvaluationSheet:
    """The evaluation sheet of ``year``: the newest ``forms/evaluation-<year>.toml`` not after it;
    for a year before the first sheet, the first one. ``ServiceError`` (Chinese) when there is none
    or it is wrong."""
    folder = forms_dir or paths.forms_dir()
    available: dict[int, Path] = {}
    for file in folder.glob("evaluation-*.toml"):
        suffix = file.stem.rsplit("-", 1)[-1]
        if suffix.isdigit():
            available[int(suffix)] = file
    if not available:
        raise ServiceError("找不到绩效评估评分表文件 forms/evaluation-<年度>.toml", field="评分表")
    chosen = available[pick_year(available, year) if year >= min(available) else min(available)]
    try:
        return parse_evaluation_sheet(chosen.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ServiceError(f"绩效评估评分表文件 {chosen.name} 有误：{exc}", field="评分表") from exc
    except OSError as exc:
        raise ServiceError(
            f"无法读取绩效评估评分表文件 {chosen.name}：{exc.strerror}", field="评分表"
        ) from exc
