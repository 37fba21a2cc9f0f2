"""Exit codes and the one error a person can cause on the command line (printed as one line)."""

from __future__ import annotations

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


class UsageError(Exception):
    """A mistake in the command line; printed as one line."""
