"""Per-file signals: find the files, read them safely, hash, embed, collect with the cache.

Imports the engine's ground floor and store; nothing above it. No re-exports (start-up stays lazy).
"""
