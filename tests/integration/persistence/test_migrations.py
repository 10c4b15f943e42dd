"""The Alembic migrations are the one source of the schema, on SQLite and on PostgreSQL:
they apply to an empty database, undo cleanly, apply again, and build exactly the tables
that `userql.persistence.models` describes."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine

from harness import fresh_postgres_database
from userql.persistence.migrate import alembic_config, downgrade, upgrade
from userql.persistence.models import metadata

USERQL_TABLES = {table.name for table in metadata.sorted_tables}
VERSION_TABLE = "alembic_version"


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of this test's own that has never been migrated."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'userql.db'}"
        return
    async with fresh_postgres_database() as url:
        yield url


# Alembic's environment runs its own event loop, so it is driven from a thread.
async def migrate_up(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


async def migrate_down(url: str, revision: str = "base") -> None:
    await asyncio.to_thread(downgrade, url, revision)


def _schema(connection: Connection) -> tuple[set[str], str | None]:
    tables = set(inspect(connection).get_table_names())
    return tables, MigrationContext.configure(connection).get_current_revision()


async def schema_of(url: str) -> tuple[set[str], str | None]:
    """The tables in the database and the revision Alembic has recorded there."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_schema)
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    differences: list[Any] = compare_metadata(context, metadata)
    return differences


async def differences_from_models(url: str) -> list[Any]:
    """What autogenerate would write to make the database match the models."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"the migration history has branched: heads {heads}"
    return heads[0]


def test_the_migration_history_has_one_head() -> None:
    assert head_revision()


async def test_migrations_go_up_from_empty_down_to_base_and_up_again(empty_database: str) -> None:
    await migrate_up(empty_database)
    assert await schema_of(empty_database) == (USERQL_TABLES | {VERSION_TABLE}, head_revision())

    await migrate_down(empty_database)
    tables, revision = await schema_of(empty_database)
    assert tables - {VERSION_TABLE} == set()
    assert revision is None

    await migrate_up(empty_database)
    assert await schema_of(empty_database) == (USERQL_TABLES | {VERSION_TABLE}, head_revision())


async def test_upgrading_an_up_to_date_database_changes_nothing(empty_database: str) -> None:
    await migrate_up(empty_database)

    await migrate_up(empty_database)

    assert await schema_of(empty_database) == (USERQL_TABLES | {VERSION_TABLE}, head_revision())


async def test_the_migrated_schema_is_exactly_the_models(empty_database: str) -> None:
    await migrate_up(empty_database)

    assert await differences_from_models(empty_database) == []
