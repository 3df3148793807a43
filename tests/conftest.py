"""Test-wide settings: Qt renders offscreen, and torch comparisons skip cleanly without torch."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if os.environ.get("GRADTRACE_FAKE_CUPY"):
    # Run the GPU cases on the CPU through tests/core/fake_cupy.py (numpy posing as CuPy):
    # checks gradtrace's CuPy code path, not a GPU. See tests/core/test_launches.py.
    from tests.core import fake_cupy
    fake_cupy.install_globally()
