"""Colours of the app: light and dark palettes, the role colours of graph nodes and the
log-scale colour map for gradient magnitudes. Pure look; no widget logic lives here."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette, QPen

from .model.palette import GRAPH_COLORS, ROLE_COLORS

#: the graph roles drawn with their own colour, in legend order
ROLES = ("leaf", "intermediate", "output", "function", "accumulate", "saved", "constant")
#: their legend titles, English sources marked for lupdate (`legend_text` translates them);
#: AccumulateGrad is PyTorch's name and stays as PyTorch prints it
ROLE_TITLES = {
    "leaf": N("Legend", "leaf tensor"),
    "intermediate": N("Legend", "intermediate tensor"),
    "output": N("Legend", "output tensor"),
    "function": N("Legend", "backward function"),
    "accumulate": "AccumulateGrad",
    "saved": N("Legend", "saved tensor"),
    "constant": N("Legend", "constant"),
}

#: backward-pass states, as the legend explains them
STATES = (("active", N("Legend", "running now")),
          ("pending", N("Legend", "waits for its gradient")),
          ("done", N("Legend", "done (border: |grad|)")))


def legend_text(source: str) -> str:
    """A legend text (ROLE_TITLES, STATES) in the language installed."""
    return QCoreApplication.translate("Legend", source)


@dataclass(frozen=True)
class Theme:
    """Every colour the views use; `name` is "light" or "dark"."""

    name: str
    background: str
    grid: str
    text: str
    subtext: str
    edge: str
    edge_cut: str
    edge_saved: str
    roles: dict = field(default_factory=dict)
    active: str = "#f5a623"
    done_fill: str = "#cfd8dc"
    nonfinite: str = "#e53935"
    search: str = "#ff4081"
    selection: str = "#2979ff"
    breakpoint: str = "#d50000"
    pulse: str = "#ff9100"
    current_line: str = "#fff5c2"
    error_line: str = "#ffd6d6"
    line_numbers: str = "#8a8a8a"
    syntax: dict = field(default_factory=dict)

    def role(self, role: str) -> QColor:
        """Fill colour of a node with this graph role (`"leaf"`, `"function"`, ...)."""
        return QColor(self.roles.get(role, self.roles["intermediate"]))

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Theme(
    name="light",
    background=GRAPH_COLORS["light"]["background"],
    grid="#eeeeee",
    text=GRAPH_COLORS["light"]["text"],
    subtext=GRAPH_COLORS["light"]["subtext"],
    edge=GRAPH_COLORS["light"]["edge"],
    edge_cut=GRAPH_COLORS["light"]["edge_cut"],
    edge_saved=GRAPH_COLORS["light"]["edge_saved"],
    roles=dict(ROLE_COLORS["light"]),
    active=GRAPH_COLORS["light"]["active"],
    done_fill=GRAPH_COLORS["light"]["done_fill"],
    nonfinite=GRAPH_COLORS["light"]["nonfinite"],
    current_line="#fff3b0",
    error_line="#ffcdd2",
    syntax={
        "keyword": "#0033b3",
        "builtin": "#7a3e9d",
        "torch": "#00796b",
        "number": "#1750eb",
        "string": "#067d17",
        "comment": "#8c8c8c",
        "decorator": "#9e880d",
        "self": "#94558d",
    },
)

DARK = Theme(
    name="dark",
    background=GRAPH_COLORS["dark"]["background"],
    grid="#2a2c30",
    text=GRAPH_COLORS["dark"]["text"],
    subtext=GRAPH_COLORS["dark"]["subtext"],
    edge=GRAPH_COLORS["dark"]["edge"],
    edge_cut=GRAPH_COLORS["dark"]["edge_cut"],
    edge_saved=GRAPH_COLORS["dark"]["edge_saved"],
    roles=dict(ROLE_COLORS["dark"]),
    active=GRAPH_COLORS["dark"]["active"],
    done_fill=GRAPH_COLORS["dark"]["done_fill"],
    nonfinite=GRAPH_COLORS["dark"]["nonfinite"],
    search="#ff4081",
    selection="#82b1ff",
    breakpoint="#ff5252",
    pulse="#ffab40",
    current_line="#3d3a20",
    error_line="#5a2424",
    line_numbers="#7d7d7d",
    syntax={
        "keyword": "#cc7832",
        "builtin": "#b389c5",
        "torch": "#4ec9b0",
        "number": "#6897bb",
        "string": "#6a8759",
        "comment": "#808080",
        "decorator": "#bbb529",
        "self": "#94558d",
    },
)

THEMES = {"light": LIGHT, "dark": DARK}


def system_theme_name() -> str:
    """ "dark" when the desktop asks for a dark colour scheme, else "light"."""
    app = QGuiApplication.instance()
    if app is None:
        return "light"
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


def resolve_theme(choice: str) -> Theme:
    """The theme for a setting of `"system"`, `"light"` or `"dark"`."""
    if choice not in THEMES:
        choice = system_theme_name()
    return THEMES[choice]


def widget_palette(theme: Theme) -> QPalette:
    """A QPalette for the widgets that matches `theme` (Fusion style draws it faithfully)."""
    pal = QPalette()
    if theme.name == "dark":
        window, base, alt, text = "#2b2d30", "#1e1f22", "#313338", "#e8e8e8"
        button, highlight = "#3c3f41", "#3574f0"
    else:
        window, base, alt, text = "#f0f0f0", "#ffffff", "#f5f5f5", "#1b1b1b"
        button, highlight = "#e8e8e8", "#2f65ca"
    roles = QPalette.ColorRole
    pal.setColor(roles.Window, QColor(window))
    pal.setColor(roles.WindowText, QColor(text))
    pal.setColor(roles.Base, QColor(base))
    pal.setColor(roles.AlternateBase, QColor(alt))
    pal.setColor(roles.Text, QColor(text))
    pal.setColor(roles.Button, QColor(button))
    pal.setColor(roles.ButtonText, QColor(text))
    pal.setColor(roles.ToolTipBase, QColor(base))
    pal.setColor(roles.ToolTipText, QColor(text))
    pal.setColor(roles.Highlight, QColor(highlight))
    pal.setColor(roles.HighlightedText, QColor("#ffffff"))
    pal.setColor(roles.PlaceholderText, QColor(theme.subtext))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor(theme.line_numbers))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor(theme.line_numbers))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor(theme.line_numbers))
    return pal


# ---------------------------------------------------------------- gradient magnitude colours

# perceptual, colour-blind-safe ramps for |grad| on a log scale: plasma cut before its pale
# yellow on light backgrounds (stays readable on white), viridis on dark ones
RAMPS = {
    "light": ("#0d0887", "#5c01a6", "#9c179e", "#cc4778", "#ed7953", "#f89a2c"),
    "dark": ("#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#fde725"),
}
_RAMP = RAMPS["light"]


def _lerp(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def ramp_color(t: float, theme: Theme | None = None) -> QColor:
    """The magnitude ramp of `theme` at `t` in [0, 1]."""
    ramp = RAMPS.get(theme.name, _RAMP) if theme is not None else _RAMP
    t = min(max(t, 0.0), 1.0) * (len(ramp) - 1)
    i = min(int(t), len(ramp) - 2)
    return _lerp(QColor(ramp[i]), QColor(ramp[i + 1]), t - i)


@dataclass(frozen=True)
class MagnitudeScale:
    """Maps a gradient norm to the ramp on a log10 scale between `low` and `high`.

    >>> MagnitudeScale.from_norms([0.1, 10.0]).position(1.0)
    0.5
    """

    low: float = 1e-3
    high: float = 1e3

    @classmethod
    def from_norms(cls, norms) -> MagnitudeScale:
        finite = [n for n in norms if n is not None and math.isfinite(n) and n > 0]
        if not finite:
            return cls()
        lo, hi = min(finite), max(finite)
        if hi / lo < 10.0:  # at least one decade so similar norms keep one colour
            mid = math.sqrt(lo * hi)
            lo, hi = mid / math.sqrt(10.0), mid * math.sqrt(10.0)
        return cls(lo, hi)

    def position(self, norm: float) -> float:
        if norm <= 0:
            return 0.0
        span = math.log10(self.high) - math.log10(self.low)
        return min(max((math.log10(norm) - math.log10(self.low)) / span, 0.0), 1.0)

    def color(self, norm: float | None, theme: Theme) -> QColor:
        if norm is None:
            return QColor(theme.edge)
        if not math.isfinite(norm):
            return QColor(theme.nonfinite)
        return ramp_color(self.position(norm), theme)


def legend_font(font: QFont | None = None) -> QFont:
    font = QFont(font) if font is not None else QFont()
    font.setPointSizeF(max(font.pointSizeF(), 8.0))
    return font


def _legend_geometry(fm: QFontMetrics, with_scale: bool, title: str | None):
    """(row height, text width, box size) of the legend drawn with metrics `fm`."""
    row = fm.height() + 4
    width = max(fm.horizontalAdvance(legend_text(t)) for t in list(ROLE_TITLES.values()) +
                [t for _, t in STATES] + [N("Legend", "|grad| (log scale)")]) + 40
    if title:
        width = max(width, fm.horizontalAdvance(title) + 40)
    rows = len(ROLES) + len(STATES) + (3 if with_scale else 0) + (1 if title else 0)
    return row, width, QSizeF(max(width, 170.0), row * rows + 12)


def legend_size(font: QFont | None = None, with_scale: bool = True,
                title: str | None = None) -> QSizeF:
    """The size `paint_legend` needs with this font, with or without the |grad| ramp."""
    return _legend_geometry(QFontMetrics(legend_font(font)), with_scale, title)[2]


def paint_legend(painter: QPainter, top_left, theme: Theme, scale: MagnitudeScale | None,
                 font: QFont | None = None, title: str | None = None) -> QRectF:
    """Paint the role legend and, when `scale` is given, the |grad| ramp; returns the rect used.
    `title` adds a heading row ("Legend ▾" on screen).

    Shared by the on-screen legend and the PNG / SVG export so both read the same.
    """
    font = legend_font(font)
    painter.save()
    painter.setFont(font)
    fm = painter.fontMetrics()
    x0, y0 = float(top_left.x()), float(top_left.y())
    row, width, size = _legend_geometry(fm, scale is not None, title)
    box = QRectF(QPointF(x0, y0), size)
    bg = QColor(theme.background)
    bg.setAlpha(230)
    painter.setPen(QPen(QColor(theme.edge), 1))
    painter.setBrush(bg)
    painter.drawRoundedRect(box, 6, 6)
    y = y0 + 6
    if title:
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(x0 + 8, y, width, row), Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(font)
        y += row
    for role in ROLES:
        swatch = QRectF(x0 + 8, y + 3, 20, row - 8)
        painter.setPen(QPen(QColor(theme.text), 0.8))
        painter.setBrush(theme.role(role))
        radius = (row - 8) / 2 if role == "function" else 3
        painter.drawRoundedRect(swatch, radius, radius)
        if role == "accumulate":
            painter.drawRoundedRect(swatch.adjusted(2, 2, -2, -2), 2, 2)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(x0 + 34, y, width, row), Qt.AlignmentFlag.AlignVCenter,
                         legend_text(ROLE_TITLES[role]))
        y += row
    for state, title in STATES:
        swatch = QRectF(x0 + 8, y + 3, 20, row - 8)
        fill = theme.role("function")
        if state == "active":
            halo = QColor(theme.active)
            halo.setAlpha(110)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawRoundedRect(swatch.adjusted(-2, -2, 2, 2), 6, 6)
            pen = QPen(QColor(theme.active), 2.2)
        elif state == "pending":
            pen = QPen(QColor(theme.active), 1.6, Qt.PenStyle.DashLine)
        else:
            done = QColor(theme.done_fill)
            fill = QColor.fromRgbF((fill.redF() + 2 * done.redF()) / 3,
                                   (fill.greenF() + 2 * done.greenF()) / 3,
                                   (fill.blueF() + 2 * done.blueF()) / 3)
            pen = QPen(ramp_color(0.6, theme), 2.0)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(swatch, (row - 8) / 2, (row - 8) / 2)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(x0 + 34, y, width, row), Qt.AlignmentFlag.AlignVCenter,
                         legend_text(title))
        y += row
    if scale is not None:
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(x0 + 8, y, width, row), Qt.AlignmentFlag.AlignVCenter,
                         legend_text(N("Legend", "|grad| (log scale)")))
        y += row
        bar = QRectF(x0 + 8, y + 2, box.width() - 16, row - 6)
        steps = 48
        for i in range(steps):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ramp_color(i / (steps - 1), theme))
            painter.drawRect(QRectF(bar.x() + bar.width() * i / steps, bar.y(),
                                    bar.width() / steps + 0.6, bar.height()))
        y += row
        painter.setPen(QColor(theme.subtext))
        painter.drawText(QRectF(x0 + 8, y, box.width() - 16, row),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{scale.low:.2g}")
        painter.drawText(QRectF(x0 + 8, y, box.width() - 16, row),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"{scale.high:.2g}")
        painter.setPen(QColor(theme.nonfinite))
        painter.drawText(QRectF(x0 + 8, y, box.width() - 16, row),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         "NaN/inf")
    painter.restore()
    return box
