"""What leaves the engine as files: scan results as JSON/CSV, and the insights report folder.

The top of the engine: may import anything in it. No re-exports (start-up stays lazy).
"""
