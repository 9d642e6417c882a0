"""The 评审 section: the annual call from 形式审查 to 认定 (issue 13)."""
