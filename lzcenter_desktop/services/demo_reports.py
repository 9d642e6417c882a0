"""The demo's 第五章: annual reports 2023–2026 with the yearly spot checks (第二十一条,
:mod:`~lzcenter_desktop.services.demo_annual`) and the finished 2025 evaluation round with its
consequences (第二十二条–第二十四条, :mod:`~lzcenter_desktop.services.demo_evaluation`) — both
through the public services, inside the build's one transaction, as the review chapter does.
"""

from __future__ import annotations

from lzcenter_desktop.services.demo_annual import AnnualBuilder
from lzcenter_desktop.services.demo_evaluation import EvaluationBuilder


class ReportsBuilder(AnnualBuilder, EvaluationBuilder):
    """Annual reports, spot checks and the evaluation round."""
