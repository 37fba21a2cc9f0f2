"""Candidate pairs -> non-chaining groups: units, candidates, merge, regroup after decisions.

Imports the ground floor, search, store and signals; never its siblings actions or compare.
No re-exports (start-up stays lazy).
"""
