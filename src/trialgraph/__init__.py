"""trialgraph: a clinical-trial evidence knowledge graph.

Nothing is read, started or written at import time: settings, stores and the API app are
all built by explicit calls (``Settings()``, ``get_store()``, ``create_app()``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("trialgraph")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
