"""Test-wide settings: Qt renders offscreen, and torch comparisons skip cleanly without torch."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
