"""Guard for the folders that setuptools mounts into the ``trialgraph`` namespace.

The owner's layout keeps ``api/``, ``ingest/``, ``ontology/`` and ``queries/`` at the top
level, but they are only importable as ``trialgraph.api`` and so on. A bare ``import api``
(possible when the repo root is on ``sys.path``) would load a second copy of the module
with different identities, so each mounted ``__init__`` calls :func:`refuse_bare_import`.
"""

from __future__ import annotations

__all__ = ["refuse_bare_import"]


def refuse_bare_import(name: str) -> None:
    """Raise ImportError unless the package was imported as ``trialgraph.<folder>``."""
    if not name.startswith("trialgraph."):
        raise ImportError(f"import {name!r} as 'trialgraph.{name}', not as a top-level package")
