"""Fixtures: a real database (SQLite file and PostgreSQL), an app per test, HTTP clients.

Every test that takes `database_url` (directly or through `app`/`client`) runs once on
SQLite and once on PostgreSQL. PostgreSQL comes from USERQL_TEST_POSTGRES_URL (default:
the local server); each run creates a database of its own and drops it at the end.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

from harness import (
    CHEAP_ARGON2,
    AppFactory,
    ClientFactory,
    Clock,
    SettingsFactory,
    fresh_postgres_database,
)
from userql.app import create_app
from userql.persistence.migrate import upgrade
from userql.persistence.models import metadata
from userql.settings import Settings


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A migrated, empty database for the whole run, one per backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "userql.db"
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
        yield url
        return
    async with fresh_postgres_database() as url:
        await asyncio.to_thread(upgrade, url)
        yield url


@pytest.fixture
async def clean_database(database_url: str) -> AsyncIterator[str]:
    """The database, emptied after the test."""
    yield database_url
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                await connection.execute(table.delete())
    finally:
        await engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_settings(clean_database: str) -> SettingsFactory:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": clean_database,
            "cookie_secure": False,
            **CHEAP_ARGON2,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
async def make_app(make_settings: SettingsFactory, clock: Clock) -> AsyncIterator[AppFactory]:
    apps: list[FastAPI] = []

    def make(**overrides: Any) -> FastAPI:
        app = create_app(make_settings(**overrides), clock=clock)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.services.passwords.close()
        await app.state.services.database.dispose()


@pytest.fixture
async def make_client(make_app: AppFactory) -> AsyncIterator[ClientFactory]:
    """HTTP clients of one app (or of a new app with overridden settings)."""
    clients: list[httpx.AsyncClient] = []
    default_app: list[FastAPI] = []

    def make(app: FastAPI | None = None, **overrides: Any) -> httpx.AsyncClient:
        if app is None:
            if overrides or not default_app:
                app = make_app(**overrides)
                if not overrides:
                    default_app.append(app)
            else:
                app = default_app[0]
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(make_client: ClientFactory) -> httpx.AsyncClient:
    return make_client()


@pytest.fixture
def tmp_cwd(tmp_path: Path) -> Iterator[Path]:
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)
