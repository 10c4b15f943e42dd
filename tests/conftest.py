"""Fixtures: a real database (SQLite file and PostgreSQL), an app per test, HTTP clients.

Every test that takes `database_url` (directly or through `app`/`client`) runs once on
SQLite and once on PostgreSQL. PostgreSQL comes from USERQL_TEST_POSTGRES_URL (default:
the local server); each run creates a database of its own and drops it at the end.
"""

import asyncio
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from userql.app import create_app
from userql.persistence.migrate import upgrade
from userql.persistence.models import metadata
from userql.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "USERQL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"

# Cheap argon2 parameters: tests that are about the parameters set their own.
CHEAP_ARGON2 = {"argon2_memory_kib": 8, "argon2_time_cost": 1, "argon2_parallelism": 1}


@dataclass
class Clock:
    """The service's clock, moved by tests that need hours to pass in a second."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def _create_postgres_database() -> str:
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"userql_test_{uuid.uuid4().hex[:12]}"
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the PostgreSQL half must run)")
    pytest.skip(message)


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
    try:
        url = await _create_postgres_database()
    except Exception as error:  # any failure to create it means "not reachable"
        postgres_unavailable(repr(error))
    await asyncio.to_thread(upgrade, url)
    try:
        yield url
    finally:
        await _drop_postgres_database(url)


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


SettingsFactory = Callable[..., Settings]


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


AppFactory = Callable[..., FastAPI]


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


ClientFactory = Callable[..., httpx.AsyncClient]


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


def unique_phone() -> str:
    """A valid Russian mobile number in E.164, different on every call."""
    return f"+7999{secrets.randbelow(10**7):07d}"


def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture
def tmp_cwd(tmp_path: Path) -> Iterator[Path]:
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)
