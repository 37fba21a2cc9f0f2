"""Edit ▸ Preferences: the dialog and its keeper rule chain editor.

Imports review, workers, common. No re-exports.
"""
