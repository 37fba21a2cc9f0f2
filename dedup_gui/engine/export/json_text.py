"""JSON text that people can read and that large results write quickly.

Why: `json.dumps(indent=...)` runs CPython's pure-Python encoder; for 50,000 groups it took two
thirds of File ▸ Save results. Here the outer levels (the document, each group, its lists) are
laid out one item per line, and every record below them (a file, a pair, a series) is one
compact line from the C encoder: a diff or `grep` still sees one file per line.
"""

from __future__ import annotations

import json
from typing import Any

SPREAD_DEPTH = 4  # document, "groups", a group, its "files": spread; each file, pair: one line
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def dumps(data: Any, spread: int = SPREAD_DEPTH) -> str:
    """`data` as JSON: containers within `spread` levels one item per line, the rest compact."""
    return "".join(_parts(data, spread, 0))


def _parts(value: Any, spread: int, depth: int):
    if depth >= spread or not isinstance(value, (dict, list)) or not value:
        yield _compact(value)
        return
    inner = "\n" + " " * (depth + 1)
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + _compact(str(key)) + ": "
            yield from _parts(item, spread, depth + 1)
        yield "\n" + " " * depth + "}"
    else:
        yield "["
        for index, item in enumerate(value):
            yield ("," if index else "") + inner
            yield from _parts(item, spread, depth + 1)
        yield "\n" + " " * depth + "]"
