"""Widgets every room uses: thumbnails, the compare view, the issues list, the flow layout.

Imports resources only. No re-exports.
"""
