"""The report's index.html: one static page, no scripts, no external assets.

Everything it refers to lies inside the report folder (thumbs/*.jpg, the CSV files), so the
folder can be zipped, mailed or opened offline. Library paths are shown as text only, never
linked: a link to file:///home/... would leave the folder and break on any other machine.
Long lists are cut at ReportLimits (the CSV files hold everything) and the page says so.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dedup_gui import __version__
from dedup_gui.engine.export.html_cards import Cards, block, cut_note, section
from dedup_gui.engine.export.results import closest_match
from dedup_gui.engine.export.series_html import INTRO as SERIES_INTRO
from dedup_gui.engine.export.series_html import series_blocks, series_paths
from dedup_gui.engine.export.style import CSS
from dedup_gui.engine.export.text import (
    escape,
    measure_text,
    ordinal,
)
from dedup_gui.engine.insights.library import Insights
from dedup_gui.engine.insights.quality import FLAG_TEXT, FLAGS
from dedup_gui.engine.tiers import TIER_LABELS
from dedup_gui.engine.types import Group, reclaimable_bytes
from dedup_gui.text import human_bytes, plural

GENERATOR = f"dedup-gui {__version__}"
UNREADABLE_SHOWN = 200  # files the page names; unreadable.csv holds all


@dataclass(frozen=True, slots=True)
class ReportLimits:
    """How much the page shows; the CSV files always hold everything."""

    groups: int = 100
    files_per_group: int = 6
    clusters: int = 50
    images_per_cluster: int = 7
    outliers: int = 100
    images_per_flag: int = 40
    series: int = 100  # similar-shot series (their frames: files_per_group each)


DEFAULT_LIMITS = ReportLimits()


def shown_groups(insights: Insights, limits: ReportLimits) -> list[tuple[int, Group]]:
    """(number, group) for the groups the page shows: most reclaimable space first."""
    numbered = list(enumerate(insights.scan.groups, start=1))
    numbered.sort(key=lambda item: (-_reclaim(insights, item[0]), item[0]))
    return numbered[:limits.groups]


def _reclaim(insights: Insights, number: int) -> int:
    """Group `number`'s reclaimable bytes (engine/types.py reclaimable_bytes)."""
    group = insights.scan.groups[number - 1]
    return reclaimable_bytes([group], [insights.removals_of(number - 1)])


def _proposal_text(removed: bool) -> str:
    """What the keeper proposal does with a file: the page showed copies without saying which
    one the app would keep (a curator's check)."""
    return "proposed for removal" if removed else "kept"


def shown_paths(insights: Insights, limits: ReportLimits) -> list[str]:
    """Every image the page shows, in page order, each once (these get thumbnails)."""
    paths: list[str] = []
    for _, group in shown_groups(insights, limits):
        paths += [f.path for f in group.files[:limits.files_per_group]]
    paths += series_paths(insights.scan.series, limits.series, limits.files_per_group)
    for cluster in insights.clusters[:limits.clusters]:
        paths += cluster.paths[:limits.images_per_cluster]
    paths += [o.path for o in insights.outliers[:limits.outliers]]
    for flag in FLAGS:
        paths += insights.flagged(flag)[:limits.images_per_flag]
    return list(dict.fromkeys(paths))


def render(insights: Insights, thumbs: Mapping[str, str], csv_names: Iterable[str],
           limits: ReportLimits = DEFAULT_LIMITS) -> str:
    """The whole page as text; `thumbs` maps shown paths to names inside the report folder."""
    page = _Page(insights, thumbs, limits)
    body = "\n".join([page.header(), page.groups(), page.series(), page.clusters(),
                      page.outliers(), page.quality(), page.unreadable(),
                      page.footer(csv_names)])
    title = f"dedup-gui report — {len(insights.files):,} images"
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="generator" content="{GENERATOR}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n"
            f"</body></html>\n")


class _Page:
    """The page's sections, each a function of the insights."""

    def __init__(self, insights: Insights, thumbs: Mapping[str, str],
                 limits: ReportLimits) -> None:
        self.insights = insights
        self.limits = limits
        self.card = Cards(insights, thumbs).card

    def header(self) -> str:
        ins = self.insights
        params = ins.params
        groups = ins.scan.groups
        reclaim = reclaimable_bytes(groups, [ins.removals_of(i) for i in range(len(groups))])
        flagged = len({p for p, q in ins.quality.items() if q.flags})
        tiles = [("Images", f"{len(ins.files):,}", "#top"),
                 ("Duplicate groups", f"{len(ins.scan.groups):,}", "#groups"),
                 ("Reclaimable", human_bytes(reclaim), "#groups"),
                 ("Similar-shot series", f"{len(ins.scan.series):,}", "#series"),
                 ("Clusters", f"{len(ins.clusters):,}", "#clusters"),
                 ("Outliers ranked", f"{len(ins.outliers):,}", "#outliers"),
                 ("Quality flags", f"{flagged:,}", "#quality")]
        tile_html = "".join(f'<a class="tile" href="{href}"><b>{value}</b>{label}</a>'
                            for label, value, href in tiles)
        roots = ", ".join(escape(os.path.abspath(r)) for r in params.scan.roots)
        when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        settings = (f"clusters: {params.linkage} linkage at cosine ≥ {params.level:.2f} · "
                    f"outliers: distance to the {ordinal(params.k)} nearest neighbour · "
                    f"embeddings {'on' if params.scan.embeddings else 'off'}")
        warnings = "".join(f'<p class="warning">{escape(w)}</p>' for w in ins.warnings)
        issues = len(ins.scan.issues)
        unread = (f' · <a href="#unreadable">{issues:,} files could not be read</a>' if issues
                  else "")
        return (f'<header id="top"><h1>Library report</h1>'
                f'<p class="meta">{roots}</p><p class="meta">{when} · {GENERATOR} · '
                f"{settings}{unread}</p><nav>{tile_html}</nav>{warnings}</header>")

    def groups(self) -> str:
        ins, limits = self.insights, self.limits
        shown = shown_groups(ins, limits)
        blocks = []
        for number, group in shown:
            removed = ins.removals_of(number - 1)
            cards = [self.card(f.path, [_proposal_text(f.path in removed),
                                        f"{f.width}×{f.height} · {human_bytes(f.size)}",
                                        escape(closest_match(group, f.path))],
                               "" if f.path in removed else "rep")
                     for f in group.files[:limits.files_per_group]]
            more = len(group.files) - limits.files_per_group
            title = (f"Group {number} · {TIER_LABELS.get(group.tier, group.tier)} · "
                     f"{plural(len(group.files), 'file')} · "
                     f"{human_bytes(_reclaim(ins, number))} reclaimable")
            blocks.append(block(title, cards, more))
        intro = ("Copies of one picture: identical files, re-saved or edited copies. "
                 "Most reclaimable space first.")
        return section("groups", "Duplicate groups", intro,
                        cut_note(len(shown), len(ins.scan.groups), "groups", "groups.csv"),
                        blocks, "No duplicate groups.")

    def series(self) -> str:
        """Similar shots, after the duplicate groups and never counted with them."""
        ins, limits = self.insights, self.limits
        blocks = series_blocks(ins.scan.series, self.card, limits.series,
                               limits.files_per_group)
        note = cut_note(len(blocks), len(ins.scan.series), "series",
                         "dedup-gui scan --json")
        return section("series", "Similar shots", SERIES_INTRO, note, blocks,
                        "No similar-shot series.")

    def clusters(self) -> str:
        ins, limits = self.insights, self.limits
        blocks = []
        for cluster in ins.clusters[:limits.clusters]:
            members = zip(cluster.paths, cluster.cosines, strict=True)
            cards = [self.card(p, ["representative" if i == 0 else f"cosine {c:.3f}"],
                               "rep" if i == 0 else "")
                     for i, (p, c) in enumerate(members) if i < limits.images_per_cluster]
            mean = sum(cluster.cosines[1:]) / max(1, cluster.size - 1)
            title = (f"Cluster {cluster.number} · {plural(cluster.size, 'image')} · "
                     f"mean cosine to the representative {mean:.3f}")
            blocks.append(block(title, cards, cluster.size - limits.images_per_cluster))
        intro = ("Images alike at the chosen cosine level, largest first; the first image is "
                 "the representative (the member most like all the others).")
        return section("clusters", "Clusters", intro,
                        cut_note(min(limits.clusters, len(ins.clusters)), len(ins.clusters),
                                  "clusters", "clusters.csv"),
                        blocks, "No clusters (needs embeddings and at least two alike images).")

    def outliers(self) -> str:
        ins, limits = self.insights, self.limits
        cards = [self.card(o.path, [f"#{o.rank} · distance {o.distance:.3f}",
                                    f"nearest: {escape(os.path.basename(o.nearest))} "
                                    f"({o.nearest_distance:.3f})"])
                 for o in ins.outliers[:limits.outliers]]
        intro = (f"Images unlike anything else in the library, ranked by cosine distance to "
                 f"their {ordinal(ins.params.k)} nearest neighbour (0 = same picture, "
                 "1 = unrelated).")
        blocks = [f'<div class="cards">{"".join(cards)}</div>'] if cards else []
        return section("outliers", "Outliers", intro,
                        cut_note(len(cards), len(ins.outliers), "images", "outliers.csv"),
                        blocks, "No outlier ranking (needs embeddings and two or more images).")

    def quality(self) -> str:
        ins, limits = self.insights, self.limits
        blocks = []
        for flag in FLAGS:
            paths = ins.flagged(flag)
            if not paths:
                continue
            cards = [self.card(p, [measure_text(ins.quality[p], flag)])
                     for p in paths[:limits.images_per_flag]]
            title = f"{FLAG_TEXT[flag].capitalize()} · {plural(len(paths), 'image')}"
            blocks.append(block(title, cards, len(paths) - limits.images_per_flag))
        intro = ("Hints for choosing keepers and spotting junk: blurry (little fine detail), "
                 "too dark, too bright, tiny (shorter side under 200 px). Worst first.")
        empty = "No image is flagged." if ins.params.quality else "Quality checks were off."
        return section("quality", "Image quality", intro, "", blocks, empty)

    def unreadable(self) -> str:
        """The files the scan could not read, and why: the header only counted them."""
        issues = self.insights.scan.issues
        if not issues:
            return ""
        rows = "".join(f"<li><code>{escape(i.path)}</code>: {escape(i.reason)}</li>"
                       for i in issues[:UNREADABLE_SHOWN])
        more = (f"<p>{len(issues) - UNREADABLE_SHOWN:,} more in unreadable.csv.</p>"
                if len(issues) > UNREADABLE_SHOWN else "")
        return (f'<section id="unreadable"><h2>Could not be read</h2><p>Left out of '
                f"everything above; all of them in unreadable.csv.</p><ul>{rows}</ul>{more}"
                "</section>")

    def footer(self, csv_names: Iterable[str]) -> str:
        links = " · ".join(f'<a href="{escape(name)}">{escape(name)}</a>' for name in csv_names)
        return (f"<footer><p>Data: {links}</p><p>Report by {GENERATOR} in "
                f"{self.insights.seconds:.1f} s. Distances are cosine distances between "
                "CNN embeddings.</p></footer>")
