"""Light or dark: the app follows the desktop's colour scheme (Qt 6.5+ `colorScheme`), or the
person's choice in Preferences, and everything the app paints itself asks here for its colours.

A platform theme that knows the desktop is dark usually hands Qt a dark palette; one that does
not (a bare X server, some desktops) only reports the scheme, so the app then sets a dark palette
itself. Colours with a meaning (keep green, remove red, a best-value star) come in a light and a
dark tone: the light tones are unreadable on a dark card, and the dark tones glare on a light one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SYSTEM, LIGHT, DARK = "system", "light", "dark"
CHOICES = {SYSTEM: "Follow the desktop", LIGHT: "Light", DARK: "Dark"}
# (light tone, dark tone) of each colour with a meaning
KEEP = ("#1b5e20", "#81c784")
REMOVE = ("#b71c1c", "#ef9a9a")
_DARK_ROLES = {
    QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f2023", QPalette.ColorRole.AlternateBase: "#292b2e",
    QPalette.ColorRole.ToolTipBase: "#3a3d41", QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#9a9da3", QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35373b", QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff8a80", QPalette.ColorRole.Light: "#4a4d52",
    QPalette.ColorRole.Midlight: "#3f4247", QPalette.ColorRole.Mid: "#55585e",
    QPalette.ColorRole.Dark: "#18191b", QPalette.ColorRole.Shadow: "#0c0c0d",
    QPalette.ColorRole.Highlight: "#3d7fd1", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.LinkVisited: "#c58af9",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK_ROLES.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8086"))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Judged from the palette actually in use, not the setting: that is what gets painted."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(palette: QPalette, pair: tuple[str, str]) -> QColor:
    return QColor(pair[1] if is_dark(palette) else pair[0])


def tint(palette: QPalette, pair: tuple[str, str], amount: float = 0.14) -> QColor:
    """The card background with a touch of the colour: a light pink on light, a dim red on dark."""
    base, colour = palette.color(QPalette.ColorRole.Base), QColor(pair[0])
    return QColor.fromRgbF(*(b + (c - b) * amount for b, c in (
        (base.redF(), colour.redF()), (base.greenF(), colour.greenF()),
        (base.blueF(), colour.blueF()))))


def picture_background(palette: QPalette) -> QColor:
    """Behind a picture that does not fill its square: a step away from the card's Base."""
    base = palette.color(QPalette.ColorRole.Base)
    return base.lighter(125) if is_dark(palette) else base.darker(107)


def desktop_scheme() -> Qt.ColorScheme:
    return QGuiApplication.styleHints().colorScheme()


def desktop_is_dark() -> bool | None:
    """None when the platform does not say (then its own palette is left as it is: a dark KDE
    theme may report no scheme at all)."""
    scheme = desktop_scheme()
    return None if scheme == Qt.ColorScheme.Unknown else scheme == Qt.ColorScheme.Dark


def apply(choice: str) -> None:
    """Set the application's palette for `choice` (an unknown one counts as "system")."""
    if QApplication.instance() is None:
        return
    dark = {DARK: True, LIGHT: False}.get(choice, desktop_is_dark())
    QGuiApplication.setPalette(QPalette())  # back to the platform's own palette
    if dark is True and not is_dark(QGuiApplication.palette()):
        QGuiApplication.setPalette(dark_palette())
    elif dark is False and is_dark(QGuiApplication.palette()):
        QApplication.setPalette(QApplication.style().standardPalette())


class _Follower:
    """The app's one choice; when it is "system", a switch of the desktop is followed. One for
    the application (the palette is the application's), whichever window set it last."""

    choice = SYSTEM
    connected = False

    @classmethod
    def scheme_changed(cls, _scheme: Qt.ColorScheme) -> None:
        if cls.choice not in (LIGHT, DARK):
            apply(cls.choice)


def follow(choice: str) -> None:
    """Use `choice` now and, for "system", whenever the desktop switches."""
    if not _Follower.connected:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_Follower.scheme_changed)
        _Follower.connected = True
    _Follower.choice = choice
    apply(choice)


def choice() -> str:
    return _Follower.choice
