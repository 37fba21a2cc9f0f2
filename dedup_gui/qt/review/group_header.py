"""The line above a group's cards: its match, counts and why the keeper was kept.

One line, whatever its length: a wrapped header (a group set to keep both files says "kept by
your choice (suggested: …)") took a second line from the cards after they had been fitted to
the height, and cut off their bottoms and buttons (a first-user review). The match and the
counts are never cut; the keeper's reason is elided, the whole header in the tooltip.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from dedup_gui.qt.review.card_labels import header_reason
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import human_bytes, plural

ITALIC_SLACK = 6  # px: the reason is drawn in italics, measured upright


def header_parts(state: ReviewState, group: int,
                 showing: tuple[int, int] | None = None) -> tuple[str, str, str]:
    """The match; the counts (and which cards of a big group are shown); why the keeper is
    kept. The summaries' tier: Group.tier walks every pair (9 ms for a 346-file burst)."""
    files = state.groups[group].files
    marked = state.marked_files(group)
    page = (f" · showing {showing[0]}–{showing[1]} (← → move through all of them)"
            if showing else "")
    return (state.summaries.tiers[group].label,
            f" · {plural(len(files), 'file')} · {len(marked)} marked Remove "
            f"({human_bytes(sum(f.size for f in marked))}){page}",
            header_reason(state, group))


class GroupHeader(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(False)
        # its text never widens the review, nor asks for a second line
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._parts = ("", "", "")

    def set_parts(self, lead: str, counts: str, reason: str) -> None:
        """`lead` in bold, then `counts`, then `reason` in italics (elided first)."""
        self._parts = (lead, counts, reason)
        self._show()

    def full_text(self) -> str:
        return "".join(self._parts)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        lead, counts, reason = self._parts
        bold = QFont(self.font())
        bold.setBold(True)
        room = (self.contentsRect().width() - QFontMetrics(bold).horizontalAdvance(lead)
                - ITALIC_SLACK)
        rest = counts + reason
        shown = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, max(0, room))
        html = f"<b>{escape(lead)}</b>{escape(shown[:len(counts)])}"
        if len(shown) > len(counts):
            html += f"<i>{escape(shown[len(counts):])}</i>"
        self.setText(html)
        self.setToolTip(escape(self.full_text()) if shown != rest else "")
