"""The report folder: CSV files that read back exactly, an HTML page that refers only to files
inside the folder (checked by parsing it, and by rendering it in a real headless browser), and
an output folder that is never one the person did not mean."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from dedup_gui.engine.export import tables
from dedup_gui.engine.export.html import ReportLimits
from dedup_gui.engine.export.report import (
    REPORT_MARKER,
    ReportError,
    check_output_folder,
    write_report,
)
from dedup_gui.engine.export.thumbs import THUMB_SIDE
from dedup_gui.engine.insights.library import (
    ClusterInfo,
    InsightParams,
    Insights,
    SimilarPair,
    build_insights,
)
from dedup_gui.engine.insights.outliers import Outlier
from dedup_gui.engine.insights.quality import Quality
from dedup_gui.engine.pipeline import ScanParams
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.types import ScanResult, ScanStats
from tests.images import photo, save
from tests.library import make_library

ODD = ["/lib/plain.jpg", "/lib/with, comma.jpg", '/lib/"quoted".png', "/lib/line\nbreak.jpg",
       "/lib/ünïcødé 写真.jpg", "/lib/not-utf8-\udcff.jpg"]


def handmade() -> Insights:
    insights = Insights(InsightParams(ScanParams(("/lib",))), ScanResult((), (), ScanStats()))
    insights.outliers = [Outlier(i + 1, p, round(0.9 - i / 10, 6), ODD[(i + 1) % len(ODD)],
                                 round(0.5 - i / 20, 6)) for i, p in enumerate(ODD)]
    insights.similar = [SimilarPair(ODD[0], ODD[1], 0.125), SimilarPair(ODD[2], ODD[5], 0.3)]
    insights.clusters = [ClusterInfo(1, tuple(ODD[:3]), (1.0, 0.875, 0.75)),
                         ClusterInfo(2, tuple(ODD[3:]), (1.0, 0.8, 0.7125))]
    insights.quality = {p: Quality(640 + i, 150, 30.5 + i, 2.0, 55.25, 12.125 * i)
                        for i, p in enumerate(ODD)}
    return insights


def test_csv_files_read_back_exactly(tmp_path: Path) -> None:
    insights = handmade()
    tables.write_similarity(insights, tmp_path / "s.csv")
    tables.write_outliers(insights, tmp_path / "o.csv")
    tables.write_clusters(insights, tmp_path / "c.csv")
    tables.write_quality(insights, tmp_path / "q.csv")
    assert tables.read_similarity(tmp_path / "s.csv") == insights.similar
    assert tables.read_outliers(tmp_path / "o.csv") == insights.outliers
    assert tables.read_clusters(tmp_path / "c.csv") == insights.clusters
    assert tables.read_quality(tmp_path / "q.csv") == insights.quality
    assert (tmp_path / "s.csv").read_bytes().splitlines()[0] == \
        b"from,to,distance,cosine,from_bytes_b64,to_bytes_b64"
    for name in ("s", "o", "c", "q"):  # valid UTF-8 although one name is not
        (tmp_path / f"{name}.csv").read_bytes().decode("utf-8", errors="strict")


def test_csv_columns_and_flags(tmp_path: Path) -> None:
    insights = handmade()
    tables.write_outliers(insights, tmp_path / "o.csv")
    lines = (tmp_path / "o.csv").read_text(encoding="utf-8")
    assert lines.startswith("rank,path,distance,nearest,nearest_distance,flags,"
                            "path_bytes_b64,nearest_bytes_b64\n")
    assert "/lib/not-utf8-\ufffd.jpg" in lines  # readable; the exact bytes in the last columns
    assert ',"/lib/with, comma.jpg",' in lines
    assert "dark;tiny" in lines
    with pytest.raises(ValueError, match="expected columns"):
        tables.read_clusters(tmp_path / "o.csv")


# -- where a report may go -----------------------------------------------------------------
def test_the_output_folder_must_be_new_empty_or_an_earlier_report(tmp_path: Path) -> None:
    check_output_folder(tmp_path / "new", [str(tmp_path / "photos")])
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty", [])
    (tmp_path / "holiday").mkdir()
    (tmp_path / "holiday/beach.jpg").write_bytes(b"keep me")
    with pytest.raises(ReportError, match="not empty"):
        check_output_folder(tmp_path / "holiday", [])
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / REPORT_MARKER).write_text("")
    (tmp_path / "earlier/index.html").write_text("old")
    check_output_folder(tmp_path / "earlier", [])
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="not a folder"):
        check_output_folder(tmp_path / "file", [])


def test_the_output_folder_must_not_be_inside_a_scanned_folder(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    with pytest.raises(ReportError, match="inside the scanned folder"):
        check_output_folder(tmp_path / "photos/report", [str(tmp_path / "photos")])
    with pytest.raises(ReportError, match="inside the scanned folder"):
        check_output_folder(tmp_path / "photos", [str(tmp_path / "photos")])
    check_output_folder(tmp_path / "photos-report", [str(tmp_path / "photos")])


# -- a real report ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Insights]:
    root = make_library(tmp_path_factory.mktemp("lib"))
    save(photo(9, (150, 100)), root / "other/tiny.jpg", quality=90)
    insights = build_insights(InsightParams(ScanParams((str(root),)), k=2), Cache(None))
    out = tmp_path_factory.mktemp("out") / "report"
    write_report(insights, out)
    return out, insights


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.refs += [value or "" for name, value in attrs
                      if name in ("src", "href", "srcset", "data", "action", "poster")]


def test_the_page_refers_only_to_files_inside_the_report(report: tuple[Path, Insights]) -> None:
    out, _ = report
    parser = _Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    assert not parser.tags & {"script", "link", "iframe", "object", "embed", "base"}
    files = [r for r in parser.refs if not r.startswith("#")]
    assert any(r.startswith("thumbs/") for r in files) and "outliers.csv" in files
    for ref in files:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc and not ref.startswith("/"), ref
        target = (out / unquote(parts.path)).resolve()
        assert target.is_relative_to(out.resolve()) and target.is_file(), ref
    assert "url(" not in (out / "index.html").read_text(encoding="utf-8")


def test_the_report_has_every_file_and_small_thumbnails(report: tuple[Path, Insights]) -> None:
    out, insights = report
    for name in ("index.html", "groups.csv", "similarity.csv", "outliers.csv", "clusters.csv",
                 "quality.csv", REPORT_MARKER):
        assert (out / name).is_file(), name
    thumbs = sorted((out / "thumbs").iterdir())
    assert thumbs
    for thumb in thumbs:
        with Image.open(thumb) as image:
            assert max(image.size) <= THUMB_SIDE
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Duplicate groups" in page and "Outliers" in page and "Tiny · 1 image<" in page
    shown, unreadable = page.split('<section id="unreadable">')
    assert "notes.txt" not in page and "broken.jpg" not in shown  # not among the images
    assert "broken.jpg</code>: " in unreadable  # named where the page says it was not read
    assert len(tables.read_outliers(out / "outliers.csv")) == len(insights.files)


def test_rewriting_a_report_keeps_what_is_not_ours(report: tuple[Path, Insights],
                                                   tmp_path: Path) -> None:
    out, insights = report
    copy = tmp_path / "again"
    shutil.copytree(out, copy)
    (copy / "thumbs/99999.jpg").write_bytes(b"stale thumbnail of ours")
    (copy / "thumbs/mine.txt").write_text("a note someone left")
    write_report(insights, copy, limits=ReportLimits(outliers=1, images_per_flag=0,
                                                     groups=0, clusters=0, series=0))
    assert not (copy / "thumbs/99999.jpg").exists()
    assert (copy / "thumbs/mine.txt").read_text() == "a note someone left"
    assert len(list((copy / "thumbs").glob("*.jpg"))) == 1


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_page_renders_offline_in_a_headless_browser(report: tuple[Path, Insights],
                                                        tmp_path: Path) -> None:
    out, _ = report
    shot = tmp_path / "shot.png"
    # No network here: the background-networking flags keep chromium from waiting on it.
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
                    "--window-size=1200,1600", f"--screenshot={shot}",
                    (out / "index.html").resolve().as_uri()],
                   capture_output=True, timeout=120, check=True)
    with Image.open(shot) as image:
        pixels = image.convert("RGB").resize((120, 160))
        colours = pixels.getcolors(120 * 160) or []
    # thumbnails painted: many distinct colours, not a blank or error page
    assert len(colours) > 500


def test_long_tables_mix_plain_and_exact_rows_correctly(tmp_path: Path) -> None:
    """Chunks of ASCII rows take a fast path; the one chunk with a Latin-1 name does not."""
    insights = handmade()
    insights.similar = [SimilarPair(f"/lib/a{i}.jpg", ODD[5] if i == 4500 else f"/lib/b{i}.jpg",
                                    round(i / 5000, 6)) for i in range(5000)]
    tables.write_similarity(insights, tmp_path / "s.csv")
    text = (tmp_path / "s.csv").read_bytes().decode("utf-8", errors="strict")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert {len(row) for row in rows} == {len(tables.SIMILARITY_COLUMNS)}
    assert rows[1] == ["/lib/a0.jpg", "/lib/b0.jpg", "0.0", "1.0", "", ""]
    assert rows[4501][1] == "/lib/not-utf8-\ufffd.jpg" and rows[4501][5]
    assert tables.read_similarity(tmp_path / "s.csv") == insights.similar
