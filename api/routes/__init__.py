"""REST and linked-data route modules, one per resource family.

``ROUTERS`` is what :func:`trialgraph.api.app.create_app` includes, in this order.
"""

from __future__ import annotations

from fastapi import APIRouter
from trialgraph.api.routes import (
    articles,
    catalogue,
    dumps,
    linked_data,
    queries,
    results,
    trials,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    queries.router,
    trials.router,
    catalogue.router,
    results.router,
    articles.router,
    linked_data.router,
    dumps.router,
]
