"""Widgets shared by every page (one date editor, …)."""
