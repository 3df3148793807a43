"""Run > Limits…: the time budget and the memory cap each run's process gets (settings
``run/time_budget`` and ``run/memory_cap_gib``; gui/model/child.py enforces them)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from .model.child import default_memory_cap, format_bytes


class LimitsDialog(QDialog):
    """Two fields, the time budget (seconds) and the memory cap (GiB, 0: the default), read
    from and written to an `AppSettings`."""

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Run limits"))
        self.budget = QDoubleSpinBox(self)
        self.budget.setRange(1.0, 3600.0)
        self.budget.setDecimals(1)
        self.budget.setSuffix(self.tr(" s"))
        self.budget.setValue(settings.time_budget)
        self.memory = QDoubleSpinBox(self)
        self.memory.setRange(0.0, 4096.0)
        self.memory.setDecimals(1)
        self.memory.setSuffix(self.tr(" GiB"))
        self.memory.setSpecialValueText(self.tr("default: half the RAM ({size})").format(
            size=format_bytes(default_memory_cap())))
        self.memory.setValue(settings.memory_cap_gib)
        form = QFormLayout()
        form.addRow(self.tr("Time budget of a run:"), self.budget)
        form.addRow(self.tr("Memory cap of a run:"), self.memory)
        note = QLabel(self.tr(
            "Each run, step and backward from a node runs in a process of its own. The time "
            "budget covers everything done for it (the script, its graph and recording); the "
            "memory cap is what the process may add, enforced by the operating system. A script "
            "stopped by either says which, at its line."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(buttons)

    def accept(self) -> None:
        self.settings.time_budget = self.budget.value()
        self.settings.memory_cap_gib = self.memory.value()
        super().accept()
