"""The command-line front end: argparse over the engine, one module per command, no Qt.

Imports the engine only (and paths, text). No re-exports.
"""
