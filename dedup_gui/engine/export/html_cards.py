"""The report page's building blocks: one image as a card (thumbnail, name, folder, facts,
quality flags), a titled block of cards, a section, and the note that says a list was cut.

Why a module of its own: every section of the page (html.py, series_html.py) is made of these,
and they are where library paths meet HTML: each path is escaped and shown as text from the
scanned folder's name down, never linked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from dedup_gui.engine.export.text import escape
from dedup_gui.engine.insights.library import Insights
from dedup_gui.engine.insights.quality import FLAG_TEXT


class Cards:
    """Cards of the library's images: `thumbs` maps a shown path to its file in the report."""

    def __init__(self, insights: Insights, thumbs: Mapping[str, str]) -> None:
        self.insights = insights
        self.thumbs = thumbs
        roots = {os.path.abspath(r) for r in insights.params.scan.roots}
        self.roots = sorted(roots, key=len, reverse=True)  # the deepest root names a file

    def where(self, path: str) -> str:
        """The file's folder as people know it: from the scanned folder's name down."""
        folder = os.path.dirname(path)
        for root in self.roots:
            if folder == root or folder.startswith(root.rstrip(os.sep) + os.sep):
                inside = os.path.relpath(folder, root)
                name = os.path.basename(root.rstrip(os.sep)) or root
                return name if inside == "." else os.path.join(name, inside)
        return folder

    def card(self, path: str, lines: Iterable[str] = (), css: str = "") -> str:
        """One image: thumbnail, name (full path on hover), folder, extra lines, flags."""
        name = self.thumbs.get(path)
        picture = (f'<img src="{escape(name)}" alt="">' if name
                   else '<div class="nothumb">no preview</div>')
        quality = self.insights.quality.get(path)
        flags = "".join(f'<span class="flag {f}">{FLAG_TEXT[f]}</span>'
                        for f in (quality.flags if quality else ()))
        flags = f'<span class="flags">{flags}</span>' if flags else ""
        extra = "".join(f'<span class="stat" title="{line}">{line}</span>' for line in lines)
        return (f'<figure class="card {css}">{picture}<figcaption>'
                f'<span class="name" title="{escape(path)}">{escape(os.path.basename(path))}</span>'
                f'<span class="folder" title="{escape(path)}">{escape(self.where(path))}</span>'
                f"{extra}{flags}</figcaption></figure>")


def cut_note(shown: int, total: int, what: str, csv_name: str) -> str:
    if total <= shown:
        return ""
    return f'<p class="note">Showing {shown:,} of {total:,} {what}; all are in {csv_name}.</p>'


def block(title: str, cards: list[str], more: int) -> str:
    tail = f'<p class="more">… and {more:,} more</p>' if more > 0 else ""
    return f'<div class="block"><h3>{escape(title)}</h3><div class="cards">{"".join(cards)}</div>' \
           f"{tail}</div>"


def section(anchor: str, title: str, intro: str, note: str, blocks: list[str],
             empty: str) -> str:
    content = "".join(blocks) if blocks else f'<p class="empty">{empty}</p>'
    return (f'<section id="{anchor}"><h2>{title}</h2><p class="intro">{intro}</p>{note}'
            f"{content}</section>")
