"""Qt-free application layer: what the engine child process runs for the app (dupeGuru's core/gui).

Imports the engine (inside the calls, so the window shows first) and paths/settings; never
PySide6, qt or cli. No re-exports.
"""
