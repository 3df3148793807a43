"""The app's colours as plain data (no Qt): node role fills and state colours of the light and
dark themes. gui/theme.py builds its Themes from them and every export (DOT, ...) uses them."""

#: fill colour of each graph role, per theme
ROLE_COLORS = {
    "light": {
        "leaf": "#b9f6ca",
        "intermediate": "#bbdefb",
        "output": "#ffccbc",
        "function": "#fff9c4",
        "accumulate": "#b2ebf2",
        "saved": "#e1bee7",
        "constant": "#e0e0e0",
    },
    "dark": {
        "leaf": "#1f5f3a",
        "intermediate": "#1e4a72",
        "output": "#7a3a24",
        "function": "#5b5220",
        "accumulate": "#175b63",
        "saved": "#58306a",
        "constant": "#45484c",
    },
}

#: the other colours the graph is drawn with, per theme
GRAPH_COLORS = {
    "light": {"background": "#fafafa", "text": "#1b1b1b", "subtext": "#555555",
              "edge": "#78909c", "edge_cut": "#bdbdbd", "edge_saved": "#ab47bc",
              "active": "#f5a623", "done_fill": "#d7dde0", "nonfinite": "#e53935",
              "group": "#78909c"},
    "dark": {"background": "#1e1f22", "text": "#e8e8e8", "subtext": "#b0b0b0",
             "edge": "#90a4ae", "edge_cut": "#5f6366", "edge_saved": "#ce93d8",
             "active": "#ffb300", "done_fill": "#3a3f44", "nonfinite": "#ff5252",
             "group": "#90a4ae"},
}


def role_color(role: str | None, theme: str = "light") -> str:
    """The fill of a node with graph role `role` (``"leaf"``, ``"function"``, ...).

    >>> role_color("leaf")
    '#b9f6ca'
    """
    roles = ROLE_COLORS.get(theme, ROLE_COLORS["light"])
    return roles.get(role or "", roles["intermediate"])


def blend(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from hex colour `a` to `b` (``"#rrggbb"`` strings).

    >>> blend("#000000", "#ffffff", 0.5)
    '#808080'
    """
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))


def done_color(role: str | None, theme: str = "light") -> str:
    """The fill of a backward node that already ran: its role colour two thirds towards grey."""
    return blend(role_color(role, theme), GRAPH_COLORS.get(theme, GRAPH_COLORS["light"])
                 ["done_fill"], 2 / 3)
