"""What the test suites share besides fixtures: the PostgreSQL test databases, the
service's clock, factory types and unique test data."""

import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

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


async def create_postgres_database() -> str:
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"userql_test_{uuid.uuid4().hex[:12]}"
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; skipped (failed under CI=true)
    where no server can be reached."""
    try:
        url = await create_postgres_database()
    except Exception as error:  # any failure to create it means "not reachable"
        postgres_unavailable(repr(error))
    try:
        yield url
    finally:
        await drop_postgres_database(url)


def postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the PostgreSQL half must run)")
    pytest.skip(message)


SettingsFactory = Callable[..., Settings]


AppFactory = Callable[..., FastAPI]


ClientFactory = Callable[..., httpx.AsyncClient]


def unique_phone() -> str:
    """A valid Russian mobile number in E.164, different on every call."""
    return f"+7999{secrets.randbelow(10**7):07d}"


def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:10]}@example.com"
