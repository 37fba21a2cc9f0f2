"""The SQLite file: cache rows, its errors, and the "not duplicates" decisions table.

Imports only the engine's ground floor. No re-exports (start-up stays lazy).
"""
