"""Test-wide settings: Qt renders offscreen, and torch comparisons skip cleanly without torch."""
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app follows the system's language (gui/i18n.py): the suite runs in English everywhere;
# the tests of the translations choose their language themselves.
os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)

# The suite never touches the user's real settings: QSettings (and everything else that follows
# the XDG base directories) writes into a throw-away folder for this test session.
_TEST_HOME = tempfile.mkdtemp(prefix="gradtrace-tests-")
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = os.path.join(_TEST_HOME, _var.lower())

if os.environ.get("GRADTRACE_FAKE_CUPY"):
    # Run the GPU cases on the CPU through tests/core/fake_cupy.py (numpy posing as CuPy):
    # checks gradtrace's CuPy code path, not a GPU. See tests/core/test_launches.py.
    from tests.core import fake_cupy
    fake_cupy.install_globally()
