"""The duplicate-finding engine. Plain Python: it never imports Qt (a test enforces it)."""
