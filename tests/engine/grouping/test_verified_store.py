"""Stored verification outcomes (grouping/verified_store.py) in a real SQLite cache: the keys
every user's cache holds stay the same, outcomes come back as saved, and a damaged outcome
means the components are verified again, never misapplied."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dedup_gui.engine.grouping.component_outcome import component_key
from dedup_gui.engine.grouping.verified_store import TABLE, VerifiedStore, verify_components
from dedup_gui.engine.grouping.verify import Verified, noted
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import EDITED, IDENTICAL, RESAVED, Edge


def test_component_keys_stay_those_stored_caches_hold() -> None:
    """The key's text is part of every cache's stored outcomes: a change re-verifies every
    component of every library (500k files: 40+ min). Value made by the code that wrote them."""
    edges = {(3, 7): Edge(RESAVED, 4, 0.91234567, "pixels agree (mean 1.2)"),
             (7, 9): Edge(EDITED, None, 0.8, ""), (3, 9): Edge(RESAVED, 0, None, "")}
    facts = {3: "a.jpg\x00100\x001\x00None\x00False", 9: "z\x000\x000\x00None\x00False",
             7: "caf\udce9.jpg\x002\x003\x00Capture()\x00True"}
    assert component_key("m1", [(3, 7), (3, 9), (7, 9)], edges, facts.__getitem__) == \
        "86cb17695841e94d1d2ac97c48dec133c4136c73"


def test_an_outcome_is_the_edge_itself_where_it_changes_nothing() -> None:
    edge = Edge(RESAVED, 3, 0.93, "")
    assert noted(edge, RESAVED, "") is edge
    for tier, note in ((EDITED, ""), (RESAVED, "pixels agree"), (EDITED, "x")):
        assert noted(edge, tier, note) == replace(edge, tier=tier, note=note)


def _edges(count: int) -> dict[tuple[int, int], Edge]:
    """Chains of three units (two checked pairs each) and an identical pair between chains."""
    edges = {}
    for start in range(0, count - 2, 3):
        edges[(start, start + 1)] = Edge(RESAVED, 2, 0.95)
        edges[(start + 1, start + 2)] = Edge(EDITED, None, 0.8)
    edges[(0, 3)] = Edge(IDENTICAL, 0, 1.0)
    return edges


def _verifier(calls: list[int]):
    def run(part: dict[tuple[int, int], Edge], crowded: object) -> Verified:
        """Drops every third pair, notes the others, refutes pairs starting at a unit 6k."""
        calls.append(len(part))
        kept = {p: replace(e, note=f"checked {p[0]}") for n, (p, e) in enumerate(part.items())
                if n % 3}
        refuted = {p for p in part if p[0] % 6 == 0}
        return Verified(kept, refuted, {p: e for p, e in kept.items() if p in refuted})
    return run


def test_outcomes_of_many_components_come_back_as_saved(tmp_path: Path) -> None:
    """More components than one read asks for: the second scan verifies nothing and gives the
    first scan's result, edges, refuted pairs and shots alike, in the same order."""
    cache = Cache(tmp_path / "cache.sqlite3")
    edges, count = _edges(3 * 700), 3 * 700
    facts = [f"file{u}" for u in range(count)]
    calls: list[int] = []
    first = verify_components(edges, count, facts.__getitem__, _verifier(calls),
                              VerifiedStore(cache))
    again = verify_components(edges, count, facts.__getitem__, _verifier(calls),
                              VerifiedStore(cache))
    assert calls == [2 * 700]
    assert list(again.edges.items()) == list(first.edges.items())
    assert again.refuted == first.refuted and again.shots == first.shots
    assert np.any([e.note for e in again.edges.values()])
    cache.close()


def test_a_damaged_outcome_verifies_the_components_again(tmp_path: Path) -> None:
    """An outcome that is not one JSON value (NULL, several values, half a value) is not
    applied: the components are verified again, as on a first scan. One that is a value but
    not this code's shape (0.6.10's three fields a pair; one pair too few) is not applied
    either: its own component (2 pairs) is verified again, with the outcome it had."""
    edges, count = _edges(30), 30
    facts = [f"file{u}" for u in range(count)]
    damages = ((None, 20), ("[null, \"\", false], [null, \"\", false]", 20), ("[", 20),
               ("]", 20), ("[[null, \"\", false], [null, \"\", false]]", 2),
               ("[[null, \"\", false, false]]", 2))
    for number, (damage, verified_again) in enumerate(damages):
        cache = Cache(tmp_path / f"cache-{number}.sqlite3")
        calls: list[int] = []
        first = verify_components(edges, count, facts.__getitem__, _verifier(calls),
                                  VerifiedStore(cache))
        # the last chain's outcome (its key, not the first row by key: keys change with the
        # verification code's bytes, and the fake verifier keeps pairs by their place in a run)
        key = component_key(VerifiedStore(cache).method, [(27, 28), (28, 29)], edges,
                            facts.__getitem__)
        assert cache.db.execute(f"UPDATE {TABLE} SET outcome = ? WHERE key = ?",
                                (damage, key)).rowcount == 1
        cache.db.conn.commit()
        again = verify_components(edges, count, facts.__getitem__, _verifier(calls),
                                  VerifiedStore(cache))
        assert calls == [20, verified_again], damage
        assert list(again.edges.items()) == list(first.edges.items())
        cache.close()


@pytest.mark.parametrize("module", ["grouping.verify", "grouping.pixel_verdict",
                                    "grouping.picture_cache", "grouping.capture_rule",
                                    "grouping.disjoint", "grouping.pixels",
                                    "grouping.pixel_search", "grouping.picture_grid", "grids"])
def test_a_change_to_any_rule_module_changes_every_key(module, tmp_path, monkeypatch) -> None:
    """Stored outcomes are keyed by the verification code's bytes: a rule changed in any of
    its modules (the capture rule included) verifies everything again."""
    import importlib

    from dedup_gui.engine.grouping import verified_store

    rules = importlib.import_module(f"dedup_gui.engine.{module}")
    before = verified_store._method()
    edited = tmp_path / f"{module.rsplit('.', 1)[-1]}.py"
    edited.write_bytes(Path(rules.__file__).read_bytes() + b"\n# a rule changed\n")
    monkeypatch.setattr(rules, "__file__", str(edited))
    assert verified_store._method() != before
