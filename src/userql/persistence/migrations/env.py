"""Alembic environment. The configuration is built in code by `userql.persistence.migrate`."""

import asyncio

from alembic import context
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from userql.persistence.models import metadata

# Any constant works; it only has to be the same for every userql host.
MIGRATION_LOCK_KEY = 0x75736572716C  # "userql"


def _run(connection: Connection) -> None:
    is_postgresql = connection.dialect.name == "postgresql"
    if is_postgresql:
        # Hosts that start together wait here, then find nothing left to apply.
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()
    try:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if is_postgresql:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


asyncio.run(_run_async(context.config.get_main_option("sqlalchemy.url") or ""))
