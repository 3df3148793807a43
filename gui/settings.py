"""Persistent settings (QSettings): window geometry and state, recent files, layout direction,
theme, language, folded legend, the last script's text and path, playback options. Typed access."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    """Typed view of a QSettings store; pass one made on a temporary file in tests.

    >>> s = AppSettings(QSettings("/tmp/gt-doc.ini", QSettings.Format.IniFormat))
    >>> s.direction = "LR"; s.direction
    'LR'
    """

    def __init__(self, store: QSettings | None = None, window_group: str = "window"):
        self.store = store if store is not None else QSettings("gradtrace", "gradtrace")
        # where the window's geometry and dock state live: "window" for the app, "viewer" for
        # gradtrace.gui.show(), whose window (no Script dock) must not become the app's
        self.window_group = window_group

    def _get(self, key: str, default, kind=str):
        value = self.store.value(key, default)
        if value is None:
            return default
        if kind is bool:
            return value in (True, "true", "1", 1)
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    # window
    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value(f"{self.window_group}/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue(f"{self.window_group}/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.store.value(f"{self.window_group}/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.store.setValue(f"{self.window_group}/state", value)

    @property
    def window_state_owner(self) -> str:
        """Which window saved `window_state`: "app", "viewer", or "" (an older version)."""
        return self._get(f"{self.window_group}/state_owner", "")

    @window_state_owner.setter
    def window_state_owner(self, owner: str) -> None:
        self.store.setValue(f"{self.window_group}/state_owner", owner)

    # files
    @property
    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    @recent_files.setter
    def recent_files(self, files: list[str]) -> None:
        self.store.setValue("files/recent", list(files)[:MAX_RECENT])

    def add_recent(self, path: str) -> list[str]:
        files = [path] + [f for f in self.recent_files if f != path]
        self.recent_files = files
        return self.recent_files

    @property
    def last_script(self) -> str | None:
        value = self.store.value("script/text")
        return None if value is None else str(value)

    @last_script.setter
    def last_script(self, text: str | None) -> None:
        if text is None:
            self.store.remove("script/text")
        else:
            self.store.setValue("script/text", text)

    @property
    def last_example(self) -> str:
        """The example the editor showed (its file name), "" when it was not one."""
        return self._get("script/example", "")

    @last_example.setter
    def last_example(self, name: str) -> None:
        self.store.setValue("script/example", name or "")

    @property
    def last_path(self) -> str:
        return self._get("script/path", "")

    @last_path.setter
    def last_path(self, path: str) -> None:
        self.store.setValue("script/path", path or "")

    # view
    @property
    def direction(self) -> str:
        value = self._get("view/direction", "TB")
        return value if value in ("TB", "LR") else "TB"

    @direction.setter
    def direction(self, value: str) -> None:
        self.store.setValue("view/direction", value)

    @property
    def theme(self) -> str:
        value = self._get("view/theme", "system")
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.store.setValue("view/theme", value)

    @property
    def language(self) -> str:
        """The chosen language: "system" (follow the locale), "en", "zh_CN" or "zh_TW"."""
        value = self._get("view/language", "system")
        return value if value in ("system", "en", "zh_CN", "zh_TW") else "system"

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("view/language", value)

    @property
    def show_saved(self) -> bool:
        return self._get("view/show_saved", True, bool)

    @show_saved.setter
    def show_saved(self, on: bool) -> None:
        self.store.setValue("view/show_saved", bool(on))

    @property
    def hide_no_grad(self) -> bool:
        """Whether the graph leaves out constants and the nodes that need no gradient."""
        return self._get("view/hide_no_grad", False, bool)

    @hide_no_grad.setter
    def hide_no_grad(self, on: bool) -> None:
        self.store.setValue("view/hide_no_grad", bool(on))

    @property
    def show_overview(self) -> bool:
        """Whether the graph view shows its overview (minimap) in a corner."""
        return self._get("view/show_overview", True, bool)

    @show_overview.setter
    def show_overview(self, on: bool) -> None:
        self.store.setValue("view/show_overview", bool(on))

    @property
    def legend_collapsed(self) -> bool:
        """Whether the graph view's legend is folded to its "Legend ▸" chip."""
        return self._get("view/legend_collapsed", False, bool)

    @legend_collapsed.setter
    def legend_collapsed(self, on: bool) -> None:
        self.store.setValue("view/legend_collapsed", bool(on))

    # playback
    @property
    def break_on_nonfinite(self) -> bool:
        return self._get("playback/break_on_nonfinite", True, bool)

    @break_on_nonfinite.setter
    def break_on_nonfinite(self, on: bool) -> None:
        self.store.setValue("playback/break_on_nonfinite", bool(on))

    @property
    def speed_index(self) -> int:
        return self._get("playback/speed_index", 2, int)

    @speed_index.setter
    def speed_index(self, index: int) -> None:
        self.store.setValue("playback/speed_index", int(index))

    # engine
    @property
    def engine(self) -> str:
        """The engine scripts run on: "gradtrace" (sandboxed) or "torch"."""
        value = self._get("run/engine", "gradtrace")
        return value if value in ("gradtrace", "torch") else "gradtrace"

    @engine.setter
    def engine(self, value: str) -> None:
        self.store.setValue("run/engine", value)

    @property
    def unsandboxed_files(self) -> list[str]:
        """The script files the user allowed to run on PyTorch, not sandboxed."""
        value = self.store.value("run/unsandboxed_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def allow_unsandboxed(self, path: str) -> None:
        files = self.unsandboxed_files
        if path not in files:
            self.store.setValue("run/unsandboxed_files", files + [path])

    # tour
    @property
    def tour_offer_dismissed(self) -> bool:
        """Whether the first-start offer of the tour was dismissed for good (or taken)."""
        return self._get("tour/offer_dismissed", False, bool)

    @tour_offer_dismissed.setter
    def tour_offer_dismissed(self, on: bool) -> None:
        self.store.setValue("tour/offer_dismissed", bool(on))

    # run limits (gui/model/child.py: each run's process is stopped at them)
    @property
    def time_budget(self) -> float:
        """Wall seconds a run, a step or a backward from a node may take (script, graph and
        recording together), 1 to 3600."""
        return min(max(self._get("run/time_budget", 10.0, float), 1.0), 3600.0)

    @time_budget.setter
    def time_budget(self, seconds: float) -> None:
        self.store.setValue("run/time_budget", float(seconds))

    @property
    def memory_cap_gib(self) -> float:
        """The memory a run may use, in GiB; 0: the default (half the RAM)."""
        return max(self._get("run/memory_cap_gib", 0.0, float), 0.0)

    @memory_cap_gib.setter
    def memory_cap_gib(self, gib: float) -> None:
        self.store.setValue("run/memory_cap_gib", float(gib))

    def sync(self) -> None:
        self.store.sync()
