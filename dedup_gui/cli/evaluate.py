"""`dedup-gui evaluate --truth GROUPS.json DIR...`: scan, then measure the groups against
ground truth (pair precision/recall/F1, per-file MAP/NDCG/Jaccard, group counts, precision per
tier) and list the worst mistakes with their signals, so a person can look at them."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dedup_gui.cli.errors import EXIT_OK, UsageError
from dedup_gui.cli.options import (
    add_scan_options,
    described,
    open_cache,
    require_inputs,
    require_output_folders,
    scan_params,
    terminal_progress,
)
from dedup_gui.engine.tiers import TIER_LABELS

if TYPE_CHECKING:  # the engine is imported only when the command runs (fast --help)
    from dedup_gui.engine.evaluation.keeper import KeeperReport
    from dedup_gui.engine.evaluation.report import Evidence, Mistake, Report
    from dedup_gui.engine.pipeline import ScanParams
    from dedup_gui.engine.types import ScanResult

DEFAULT_SHOW = 10


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `evaluate` subcommand: the scan options, plus the truth and what to show."""
    evaluate = commands.add_parser(
        "evaluate", help="scan folders and measure the result against ground truth")
    evaluate.add_argument("folders", nargs="+", metavar="DIR", help="folders to scan")
    evaluate.add_argument("--truth", type=Path, required=True, metavar="GROUPS.json",
                          help="ground truth: a list of groups of paths, imagededup's "
                               "mapping {file: [duplicates]}, {\"groups\": [...], "
                               "\"originals\": [...]} or a data set's manifest.json (roles); "
                               "paths relative to DIR (with several DIRs, to the folder they "
                               "share). Naming the originals adds keeper accuracy")
    evaluate.add_argument("--json", type=Path, metavar="OUT", help="write the report as JSON")
    evaluate.add_argument("--show", type=int, default=DEFAULT_SHOW, metavar="N",
                          help=f"mistakes listed of each kind (default: {DEFAULT_SHOW})")
    add_scan_options(evaluate)
    evaluate.set_defaults(run=run)


def _check_inputs(args: argparse.Namespace) -> None:
    require_inputs(args.folders, folders_only=True)
    require_output_folders(args.json)
    if args.show < 0:
        raise UsageError("--show must be at least 0")


def run(args: argparse.Namespace) -> int:
    from dedup_gui.engine.evaluation.run import evaluate_scan, truth_root
    from dedup_gui.engine.evaluation.truth import TruthError, load_truth

    _check_inputs(args)
    params = scan_params(args)
    root = truth_root(params.roots)
    try:
        truth = load_truth(args.truth, root)
    except TruthError as error:
        raise UsageError(str(error)) from None
    if truth.files and not any(os.path.exists(os.path.join(root, f)) for f in truth.files):
        raise UsageError(f"none of the {len(truth.files)} files in {args.truth} is under {root} "
                         "(truth paths must be relative to the scanned folder)")
    if not truth.pairs:
        print(f"warning: {args.truth} holds no group of duplicates: only false positives can "
              "be measured (recall is 1.000 by definition)", file=sys.stderr)
    cache = open_cache(args)
    progress = terminal_progress(args)
    started = time.perf_counter()
    keeper = None
    try:
        result, report = evaluate_scan(params, truth, cache, progress)
        if truth.originals:
            keeper = _keeper(result, truth.originals, root, cache)
    finally:
        progress.finish()
        cache.close()
    _print_report(result, report, args.show, root, time.perf_counter() - started, params.tiers)
    if keeper is not None:
        _print_keeper(keeper, args.show)
    if args.json is not None:
        _write_json(args.json, params, result, report, keeper)
    return EXIT_OK


def _keeper(result: ScanResult, originals: frozenset[str], root: str, cache: Any
            ) -> KeeperReport:
    """How often the default keeper proposal keeps the truth's original."""
    from dedup_gui.engine.actions.proposals import proposals_for
    from dedup_gui.engine.evaluation.keeper import keeper_report
    from dedup_gui.engine.evaluation.truth import relative_to_root

    proposals, provenance = proposals_for(result.groups, cache)
    names = relative_to_root((f.path for g in result.groups for f in g.files), root)
    return keeper_report(result.groups, proposals, names, originals, provenance)


def _print_keeper(keeper: KeeperReport, show: int) -> None:
    twins = f", {keeper.twins} of them as a byte-identical copy" if keeper.twins else ""
    print(f"keeper    the original kept in {keeper.kept} of {keeper.groups} found groups "
          f"holding one ({keeper.accuracy:.3f}{twins})")
    for original, kept, label in keeper.misses[:show]:
        print(f"  {original}\n    kept instead {kept} ({label or 'no label'})")


def _print_report(result: ScanResult, report: Report, show: int, root: str, seconds: float,
                  counted: frozenset[str]) -> None:
    pairs, retrieval, groups = report.pairs, report.retrieval, report.groups
    print(f"{result.stats.files} images, {report.truth_groups} true groups with "
          f"{pairs.expected} true pairs; {len(result.groups)} groups found ({seconds:.1f} s)")
    print(f"pairs     precision {pairs.precision:.3f}  recall {pairs.recall:.3f}  "
          f"F1 {pairs.f1:.3f}  ({pairs.true_positives} of {pairs.found} found pairs true, "
          f"{pairs.true_positives} of {pairs.expected} true pairs found)")
    print("          (precision: the share of the pairs found that are true duplicates; "
          "recall: the share of the true pairs found; a pair is two files in one group)")
    print(f"per file  MAP {retrieval.map:.3f}  NDCG {retrieval.ndcg:.3f}  "
          f"Jaccard {retrieval.jaccard:.3f}  (imagededup's definitions, {retrieval.files} files)")
    print(f"groups    {groups.exact} exact, {groups.merged} merged with others, {groups.split} "
          f"split, {groups.missed} missed; {groups.spurious} found groups hold no true pair")
    for tier in report.tiers:
        label = TIER_LABELS.get(tier.tier, "linked through the group")
        print(f"  {label:<24} {tier.found:>6} pairs  precision {tier.precision:.3f}  "
              f"{tier.recall_share:6.1%} of true pairs")
    if report.not_scanned:
        print(f"warning: {len(report.not_scanned)} files of the truth are not under {root} "
              f"(counted as missed), e.g. {report.not_scanned[0]}", file=sys.stderr)
    _print_mistakes("false positives (found, not true)", report.false_positives, show, None)
    _print_mistakes("false negatives (true, not found)", report.false_negatives, show, counted)
    for issue in result.issues[:show]:
        print(f"unreadable: {issue.path}: {issue.reason}")


def _print_mistakes(title: str, mistakes: tuple[Mistake, ...], show: int,
                    counted: frozenset[str] | None) -> None:
    """`counted`: the counted tiers, for missed pairs (None for found ones)."""
    print(f"{title}: {len(mistakes)}" + (", strongest evidence first" if mistakes else ""))
    for mistake in mistakes[:show]:
        print(f"  {mistake.a}\n    ~ {mistake.b}\n    {describe(mistake.evidence, counted)}")
    if len(mistakes) > show:
        print(f"  … and {len(mistakes) - show} more (--show N prints more; --json FILE "
              "writes all)")


def describe(evidence: Evidence, counted: frozenset[str] | None = None) -> str:
    """Evidence in words: the signals, and what they amount to. For a missed pair (`counted`
    given) that matches, whether its tier is not counted or the grouping kept the two apart."""
    parts = []
    if evidence.hash_distance is not None:
        parts.append(f"hash distance {evidence.hash_distance}")
    if evidence.cosine is not None:
        parts.append(f"cosine {evidence.cosine:.3f}")
    tier = evidence.tier
    if tier is None:
        verdict = "no match at these thresholds"
    elif tier not in TIER_LABELS:
        verdict = "in the group only through the others"
    elif counted is None:
        verdict = TIER_LABELS[tier]
    elif tier not in counted:
        verdict = f"{TIER_LABELS[tier]}, a tier not counted"
    else:
        verdict = f"{TIER_LABELS[tier]}, but the grouping kept them apart"
    return ", ".join([*parts, verdict])


def _write_json(out: Path, params: ScanParams, result: ScanResult, report: Report,
                keeper: KeeperReport | None = None) -> None:
    """Valid UTF-8 whatever the file names (paths as engine/pathtext.py writes them)."""
    from dedup_gui.engine.pathtext import clean, path_fields, path_list_fields

    settings = described(params)
    data = {"settings": {**clean(settings), **path_list_fields("roots", settings["roots"])},
            **({"keeper": clean(keeper.to_dict())} if keeper is not None else {}),
            "scan": {"files": result.stats.files, "groups": len(result.groups),
                     "unreadable": [{**path_fields("path", i.path), "reason": clean(i.reason)}
                                    for i in result.issues]},
            **report.to_dict()}
    try:
        out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"could not write output: {error.strerror}: {out}") from None
