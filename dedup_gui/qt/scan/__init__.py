"""Choosing folders and running a scan: the folder panel, start/cancel/finish.

Imports review, workers, common; never window, similar, insights or settings. No re-exports.
"""
