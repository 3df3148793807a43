"""gradtrace.gui: the PySide6 application; gui/model/ is its Qt-free heart."""
