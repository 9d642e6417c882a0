"""评审 (第十条): the annual call, 形式审查, the expert pool and 回避, panels and assignment, scoring,
results, 公示 and 认定, and the offline review package — one module per concern."""
