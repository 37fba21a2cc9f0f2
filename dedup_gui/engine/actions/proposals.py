"""Keeper proposals for a scan's groups with everything the rules look at: dates taken and how
each copy was made (provenance facts, cached). The CLI, evaluation and benchmarks call this;
the app does the same steps in tasks/scan.py with progress and cancel."""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.actions.keep_rules import (
    DEFAULT_CHAIN,
    Proposal,
    Rule,
    RuleKind,
    propose,
)
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.actions.provenance_cache import provenance_for
from dedup_gui.engine.actions.provenance_marks import relabel_all
from dedup_gui.engine.actions.taken_dates import taken_dates
from dedup_gui.engine.progress import CancelToken, ProgressCallback, report
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import Group

STAGE_ORIGINS = "telling originals from copies"


def provenance_of(groups: Sequence[Group], cache: Cache | None = None,
                  progress: ProgressCallback | None = None, cancel: CancelToken | None = None
                  ) -> dict[str, Provenance]:
    """path -> Provenance for every grouped file (cached in `cache` per group and per file),
    groups assessed reported to `progress` (a cold scan's grouped files are decoded again at
    full size here: seconds to minutes); `cancel` stops it (Cancelled)."""
    return provenance_for(groups, cache, cancel=cancel, progress=lambda done, total: report(
        progress, STAGE_ORIGINS, done, total))


def proposals_for(groups: Sequence[Group], cache: Cache | None = None,
                  chain: Sequence[Rule] = DEFAULT_CHAIN, protected_folders: Sequence[str] = (),
                  progress: ProgressCallback | None = None
                  ) -> tuple[list[Proposal], dict[str, Provenance]]:
    """What the app proposes for `groups` with `chain`, and each grouped file's provenance,
    labelled against the proposed keeper (what the marks and the reason say)."""
    provenance = provenance_of(groups, cache, progress)
    dated = any(r.kind in (RuleKind.OLDEST_DATE, RuleKind.NEWEST_DATE) for r in chain)
    dates = taken_dates(f.path for g in groups for f in g.files) if dated else {}
    proposals = [propose(g, chain, tuple(protected_folders), dates, provenance) for g in groups]
    return proposals, relabel_all(groups, provenance, [p.chosen for p in proposals])
