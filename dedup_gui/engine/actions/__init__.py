"""Acting on groups: keep rules, the removal plan, re-check, journal, undo, quarantine, Trash.

Imports the ground floor, search, store and signals; never its siblings grouping or compare.
No re-exports (start-up stays lazy).
"""
