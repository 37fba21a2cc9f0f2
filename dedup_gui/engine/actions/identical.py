"""Byte-identical copies within a group: the files a chain of identical pairs joins.

A module of its own because the keep rules, the labels and the own-edit rule all ask it, and
none of them should import another for it."""

from __future__ import annotations

from dedup_gui.engine.tiers import IDENTICAL
from dedup_gui.engine.types import Group


def identical_to(group: Group, kept: set[str]) -> set[str]:
    """Files joined to a kept file by a chain of byte-identical pairs."""
    links: dict[str, set[str]] = {}
    for pair in group.pairs:
        if pair.tier == IDENTICAL:
            links.setdefault(pair.a, set()).add(pair.b)
            links.setdefault(pair.b, set()).add(pair.a)
    seen, todo = set(kept), list(kept)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen - kept
