"""FastAPI dependencies: the settings, store and query runner of the running app.

``create_app`` puts them on ``app.state``; routes ask for them by type, so a test app built
with ``create_app(store=...)`` needs no globals and no monkeypatching. The accessors are
``async`` because FastAPI runs a plain ``def`` dependency in its thread pool: a thread
hand-off per dependency per request, for an attribute read.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from trialgraph.api.query_runner import QueryRunner

from trialgraph.config import Settings
from trialgraph.store.base import Store

__all__ = ["QueryRunnerDep", "SettingsDep", "StoreDep", "get_runner", "get_settings", "get_store"]


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return cast(Settings, request.app.state.settings)


async def get_store(request: Request) -> Store:
    """The store the app serves (opened by ``create_app`` or handed to it)."""
    return cast(Store, request.app.state.store)


async def get_runner(request: Request) -> QueryRunner:
    """Runs user SPARQL under the time limit (see :mod:`trialgraph.api.query_runner`)."""
    return cast(QueryRunner, request.app.state.runner)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
QueryRunnerDep = Annotated[QueryRunner, Depends(get_runner)]
