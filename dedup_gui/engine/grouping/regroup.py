"""A group under review formed again after a person marked pairs of it "not duplicates", without a
scan, the way the next scan will form it."""

from __future__ import annotations

from collections.abc import Collection

from dedup_gui.engine.grouping.merge import complete_linkage, crosses
from dedup_gui.engine.grouping.units import Unit, apart_units
from dedup_gui.engine.tiers import Edge
from dedup_gui.engine.types import Group


def regroup(group: Group, not_duplicates: Collection[tuple[str, str]]) -> tuple[Group, ...]:
    """`group` formed again after a person marked pairs of it "not duplicates", without a scan:
    its own matching pairs, strongest first, merged by complete linkage where no cross pair may
    be marked apart (every other cross pair was compatible when the group was formed). A file
    whose every link is gone drops out; the rest stays grouped wherever it is still linked."""
    files = group.files
    index = {f.path: i for i, f in enumerate(files)}
    units = [Unit((f,), None) for f in files]
    blocked = apart_units(units, not_duplicates)
    kept = [p for p in group.pairs if index[p.b] not in blocked.get(index[p.a], ())]
    edges = {(min(index[p.a], index[p.b]), max(index[p.a], index[p.b])):
             Edge(p.tier, p.distance if p.distance >= 0 else None, p.cosine) for p in kept}
    clusters = complete_linkage(len(files), edges,
                                compatible=lambda left, right: not crosses(blocked, left, right))
    groups = []
    for cluster in clusters:
        members = {files[i].path for i in cluster}
        groups.append(Group(tuple(files[i] for i in cluster),
                            tuple(p for p in kept if p.a in members and p.b in members)))
    return tuple(sorted(groups, key=lambda g: g.files[0].path))
