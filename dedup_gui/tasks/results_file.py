"""File ▸ Save results / Open results: the review as the CLI's JSON (engine/export/results.py,
format 3), with the person's marks and decisions, and read back into a Session the window
restores like the one reopened at start-up (tasks/session.py), then re-checks against the disk.

Opening proposes keepers again with the current rules (reasons, protected files, dates where a
rule needs them) and then puts the saved marks over the proposal: a file saved with marks keeps
the person's choice; a group saved without (an older file, `dedup-gui scan --json`) gets the
proposal, as after a scan. A mark on a file now in a protected folder is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedup_gui import paths
from dedup_gui.engine.progress import CancelToken, ProgressCallback
from dedup_gui.tasks.session import Session, changed_since_scan


def save_results_file(session: Session, out: Path, roots: Sequence[str]) -> str | None:
    """Write `session` to `out` as JSON; why it failed, or None."""
    from dedup_gui.engine.export.results import Keepers, Review, write_json

    outcome = session.outcome
    labels = {path: known.label for path, known in outcome.provenance.items()}
    keepers = Keepers(session.remove, outcome.reasons, labels)
    review = Review(frozenset(session.dismissed), frozenset(session.opened),
                    frozenset(session.trashed))
    try:
        write_json(outcome.result, out, {"roots": list(roots)}, keepers, review)
    except (OSError, UnicodeError) as error:
        why = getattr(error, "strerror", None) or error
        return f"The results could not be saved to {out}: {why}."
    return None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """What opening needs, picklable for the engine process."""

    path: str
    protected: tuple[str, ...]
    rule_dicts: tuple[dict, ...]


def open_results_call(path: Path, protected: Sequence[str], rule_dicts: Sequence[dict]
                      ) -> Callable[[ProgressCallback, CancelToken], tuple[Session, set[str]]]:
    """For a worker: the saved results as a Session, and the files changed or gone since, read
    in the engine process (parsing a big JSON file holds the GIL: the window must not wait)."""
    from dedup_gui.tasks.process import in_process

    return in_process(open_and_recheck, OpenRequest(str(path), tuple(protected),
                                                    tuple(rule_dicts)))


def open_and_recheck(request: OpenRequest, progress: ProgressCallback, cancel: CancelToken
                     ) -> tuple[Session, set[str]]:
    session = open_results(Path(request.path), request.protected, request.rule_dicts,
                           progress, cancel)
    return session, changed_since_scan(session.outcome, set(session.trashed))


def open_results(path: Path, protected: Sequence[str], rule_dicts: Sequence[dict],
                 progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> Session:
    """Read `path` into a Session (raises engine ResultsFileError or OSError)."""
    from dedup_gui.engine.export.results_read import load_results
    from dedup_gui.tasks.scan import review_start

    saved = load_results(path)
    outcome = review_start(saved.result, protected, rule_dicts, progress, cancel,
                           frozenset(saved.moved), cache_path=str(paths.cache_path()))
    remove = [_marks(saved.marks[i], proposed, outcome.protected_paths)
              for i, proposed in enumerate(outcome.removals)]
    reasons = [saved.reasons[i] if saved.marks[i] is not None and saved.reasons[i] else reason
               for i, reason in enumerate(outcome.reasons)]
    outcome.reasons[:] = reasons
    return Session(outcome, remove, set(saved.dismissed), set(saved.moved), set(saved.opened))


def _marks(saved: set[str] | None, proposed: set[str], protected: Any) -> set[str]:
    """The saved marks (a moved file keeps its mark, as in the app), else the proposal."""
    if saved is None:
        return set(proposed)
    return {path for path in saved if path not in protected}
