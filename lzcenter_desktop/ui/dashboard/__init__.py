"""概览: the dashboard section (page.py) and its figure cards (cards.py)."""
