"""The scan options are declared once: scan, evaluate and report accept the same ones and turn
them into the same ScanParams."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup_gui.cli.errors import UsageError
from dedup_gui.cli.main import build_parser
from dedup_gui.cli.options import scan_params

OPTIONS = ["--hash", "dhash", "--threshold", "6", "--hash-size", "16", "--no-embeddings",
           "--tiers", "identical,resaved", "--no-cache", "--hidden", "--workers", "1", "-q"]


def parsed(command: str, folder: Path, *extra: str):
    required = {"scan": [], "evaluate": ["--truth", "t.json"], "report": ["--out", "o"]}
    return build_parser().parse_args([command, str(folder), *required[command], *OPTIONS,
                                      *extra])


def test_every_scanning_command_reads_the_scan_options_alike(tmp_path: Path) -> None:
    params = {command: scan_params(parsed(command, tmp_path))
              for command in ("scan", "evaluate", "report")}
    assert params["scan"] == params["evaluate"] == params["report"]
    scan = params["scan"]
    assert (scan.hash_kind, scan.threshold, scan.hash_size, scan.embeddings) == \
        ("dhash", 6, 16, False)
    assert scan.tiers == {"identical", "resaved"} and scan.include_hidden and scan.workers == 1


@pytest.mark.parametrize("command", ["scan", "evaluate", "report"])
def test_a_bad_value_is_one_usage_error(command: str, tmp_path: Path) -> None:
    args = parsed(command, tmp_path)
    args.workers = 0
    with pytest.raises(UsageError, match="--workers"):
        scan_params(args)
    args.workers, args.tiers = None, "identical,nonsense"
    with pytest.raises(UsageError, match="unknown tier"):
        scan_params(args)
