"""Find similar to a photo: its dialog, the grid of matches, the window's part.

Imports review, workers, common. No re-exports.
"""
