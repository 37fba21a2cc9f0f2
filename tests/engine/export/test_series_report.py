"""The report's "Similar shots" section on a real scan of a real library: after the duplicate
groups, the burst's frames with thumbnails, the best shot marked with its reason, and a count
kept apart from the duplicate counts."""

from __future__ import annotations

import re
from pathlib import Path

from dedup_gui.engine.export.report import write_report
from dedup_gui.engine.insights.library import InsightParams, build_insights
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache
from tests.series_library import BEST, BURST, PAIR, make_series_library


def _section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S).group(1)


def test_the_report_shows_the_series_apart_with_its_best_shot(tmp_path: Path) -> None:
    root = make_series_library(tmp_path / "lib")
    insights = build_insights(InsightParams(ScanParams((str(root),), embeddings=False)),
                              Cache(None))
    page = write_report(insights, tmp_path / "report").read_text(encoding="utf-8")
    assert page.index('id="groups"') < page.index('id="series"') < page.index('id="clusters"')
    series = _section(page, "series")
    groups = _section(page, "groups")
    for name in BURST:
        assert f'title="{root / name}"' in series and f'title="{root / name}"' not in groups
    assert f'title="{root / PAIR[1]}"' in groups and f'title="{root / PAIR[1]}"' not in series
    best = re.findall(r'<figure class="card best">.*?</figure>', series, re.S)
    assert len(best) == 1 and f'title="{root / BEST}"' in best[0]
    assert "★ best shot: sharpest of 3" in best[0]
    assert series.count("<img src=") == len(BURST)  # every frame has its thumbnail
    assert "<b>1</b>Duplicate groups" in page  # the burst is not a duplicate group ...
    assert "<b>1</b>Similar-shot series" in page  # ... it is counted apart
