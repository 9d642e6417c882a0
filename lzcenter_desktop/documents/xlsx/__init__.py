"""Helpers of the Excel template (``documents/xlsx_declaration.py``)."""
