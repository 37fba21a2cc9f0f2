"""Pair search: Hamming (multi-index hashing), the BK-tree reference, blocked cosine.

Imports only the engine's ground floor. No re-exports (start-up stays lazy).
"""
