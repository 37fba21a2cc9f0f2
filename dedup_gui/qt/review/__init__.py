"""Reviewing groups: state, the results list, the group's cards, trash, pair decisions.

Imports workers and common; never window, scan, similar, insights or settings. No re-exports.
"""
