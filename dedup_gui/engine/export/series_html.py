"""The report's "Similar shots" section: bursts and second tries, each series with its frames
side by side and the suggested best shot marked, with why. Apart from the duplicate groups and
never counted with them: nothing here is a copy, and nothing is proposed for removal unless a
person applies "keep the best of each series" in the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dedup_gui.engine.export.text import escape
from dedup_gui.engine.types import Series
from dedup_gui.text import human_bytes, plural

Card = Callable[[str, Iterable[str], str], str]  # html_cards.Cards.card: path, lines, css
BEST_MARK = "★ best shot"
INTRO = ("Other shots of one scene taken moments apart (bursts, second tries): alike, but "
         "different photos, so never counted as duplicates and never proposed for removal. "
         "The suggested best shot is the sharpest, with the fewest clipped highlights and "
         "shadows (★).")


def shown_series(series: tuple[Series, ...], limit: int) -> list[tuple[int, Series]]:
    """(number, series) for the series the page shows, in the scan's order."""
    return list(enumerate(series, start=1))[:limit]


def series_paths(series: tuple[Series, ...], limit: int, per_series: int) -> list[str]:
    """The images of the shown series, in page order (these get thumbnails)."""
    return [f.path for _, s in shown_series(series, limit) for f in _ordered(s)[:per_series]]


def series_blocks(series: tuple[Series, ...], card: Card, limit: int,
                  per_series: int) -> list[str]:
    """One block per shown series: the best shot first, then the others."""
    blocks = []
    for number, one in shown_series(series, limit):
        cards = [card(f.path, _lines(one, f.path, f.width, f.height, f.size),
                      "best" if f.path == one.best else "")
                 for f in _ordered(one)[:per_series]]
        title = f"Series {number} · {plural(len(one.files), 'shot')}"
        title += f" · {one.bracket}" if one.bracket else ""
        more = len(one.files) - per_series
        tail = f'<p class="more">… and {more:,} more</p>' if more > 0 else ""
        blocks.append(f'<div class="block series"><h3>{escape(title)}</h3>'
                      f'<div class="cards">{"".join(cards)}</div>{tail}</div>')
    return blocks


def _ordered(series: Series) -> list:
    """The best shot first: the one a person looks at to decide."""
    return sorted(series.files, key=lambda f: (f.path != series.best, f.path))


def _lines(series: Series, path: str, width: int, height: int, size: int) -> list[str]:
    facts = f"{width}×{height} · {human_bytes(size)}"
    if path != series.best:
        return [facts]
    return [facts, escape(f"{BEST_MARK}: {series.best_reason}")]


def shot_count(series: tuple[Series, ...]) -> int:
    """Files in similar-shot series (a summary tile, apart from the duplicate counts)."""
    return sum(len(s.files) for s in series)
