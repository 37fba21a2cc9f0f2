"""View ▸ Insights… and File ▸ Export report…: the window and its commands.

Imports review, workers, common. No re-exports.
"""
