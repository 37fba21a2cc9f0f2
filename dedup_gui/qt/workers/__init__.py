"""Engine calls off the UI thread: the runner, progress throttling, the progress bar, the one
foreground task.

Imports common and resources only. No re-exports.
"""
