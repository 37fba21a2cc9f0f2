"""docs/screenshot-report.png: a report on both dev sets, short lists so every section shows,
rendered by headless chromium (Debian: apt-get install chromium).

    python docs/make_report_screenshot.py [--cache /tmp/report-shot.sqlite3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from dedup_gui.engine.export.html import ReportLimits
from dedup_gui.engine.export.report import write_report
from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SHORT = ReportLimits(groups=1, files_per_group=6, clusters=1, images_per_cluster=7, outliers=7,
                     images_per_flag=7)
WIDTH, HEIGHT = 1400, 2000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "report-shot.sqlite3")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(
        "screenshot-report.png"))
    args = parser.parse_args(argv)
    roots = tuple(str(DATASETS / name / "images")
                  for name in ("debian_augly_dev", "photos_augly_dev2"))
    insights = build_insights(InsightParams(ScanParams(roots)), Cache(args.cache))
    with tempfile.TemporaryDirectory() as tmp:
        index = write_report(insights, Path(tmp) / "report", limits=SHORT)
        shot = Path(tmp) / "shot.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}",
                        f"--screenshot={shot}", index.as_uri()], capture_output=True, check=True)
        with Image.open(shot) as image:
            image.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(args.out,
                                                                              optimize=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
