"""CLI commands of this package; registered by :func:`trialgraph.cli.build_app`."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
