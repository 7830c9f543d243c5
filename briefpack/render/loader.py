"""Import WeasyPrint without its slow library search.

WeasyPrint opens Pango, HarfBuzz and friends through cffi, trying a list of names per
library ('libgobject-2.0-0', 'gobject-2.0-0', ..., 'libgobject-2.0.so.0'). For every name
that does not open at once, cffi asks `ctypes.util.find_library`, which on Linux runs
`ldconfig -p` and the C compiler in subprocesses: about half a second of a cold start,
spent finding nothing, since the '.so.0' name later in each list opens directly.

On Linux the import therefore runs with a `find_library` that finds nothing; the names
that matter are opened by the dynamic loader as before. If that import fails anyway, it is
undone and repeated unchanged, so WeasyPrint reports its own error as it always would.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def _find_nothing(name: str) -> None:
    return None


def import_weasyprint() -> ModuleType:
    """The `weasyprint` module, imported once per process (thread-safe)."""
    with _lock:
        if "weasyprint.text.ffi" not in sys.modules and sys.platform.startswith("linux"):
            import ctypes.util

            original = ctypes.util.find_library
            ctypes.util.find_library = _find_nothing
            try:
                import weasyprint
            except Exception:
                for name in [m for m in sys.modules if m.partition(".")[0] == "weasyprint"]:
                    del sys.modules[name]
            finally:
                ctypes.util.find_library = original
        import weasyprint

        module: ModuleType = weasyprint
        return module
