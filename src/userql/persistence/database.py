"""The database handle: engine from a URL, per-connection SQLite pragmas, units of work."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from userql.errors import ServiceUnavailable

log = logging.getLogger(__name__)

_IMMEDIATE = "userql_sqlite_immediate"

# Raised by drivers and the pool when the database cannot be reached or is too busy to
# answer in time; a client can do nothing about them but retry.
_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout, OSError, asyncio.TimeoutError)


def _is_unavailable(error: BaseException) -> bool:
    if isinstance(error, _UNAVAILABLE):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _install_sqlite_behaviour(engine: AsyncEngine) -> None:
    """WAL, full sync, foreign keys and a busy timeout on every connection; writers take
    the write lock at BEGIN (IMMEDIATE), so a read never has to upgrade to a write.
    Reads send no BEGIN: in autocommit each statement reads one consistent snapshot."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, emits BEGIN
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=10000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_IMMEDIATE, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine. `read()` and `write()` are units of work: a transaction that is
    committed only by `write()` leaving normally and rolled back otherwise."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        pool_timeout: float = 5.0,
        connect_timeout: float = 5.0,
    ) -> None:
        parsed = make_url(url)
        dialect = parsed.get_backend_name()
        options: dict[str, Any] = {}
        if dialect == "postgresql":
            options = {
                "pool_size": pool_size,
                "max_overflow": pool_size,
                "pool_timeout": pool_timeout,
                "pool_pre_ping": True,
                "connect_args": {"timeout": connect_timeout, "command_timeout": 30},
            }
        elif dialect == "sqlite":
            options = {"pool_timeout": pool_timeout, "connect_args": {"timeout": 10}}
        self.engine = create_async_engine(parsed, **options)
        # On SQLite a read needs no transaction of its own (see _install_sqlite_behaviour);
        # every read unit here is one statement, or checks that the unique indexes back up.
        self._reads_in_transaction = dialect != "sqlite"
        if dialect == "sqlite":
            _install_sqlite_behaviour(self.engine)

    @asynccontextmanager
    async def _unit(self, *, write: bool) -> AsyncIterator[AsyncConnection]:
        try:
            async with self.engine.connect() as connection:
                if not write and not self._reads_in_transaction:
                    yield connection
                    return
                if write:
                    connection = await connection.execution_options(**{_IMMEDIATE: True})
                transaction = await connection.begin()
                try:
                    yield connection
                except BaseException:
                    await transaction.rollback()
                    raise
                if write:
                    await transaction.commit()
                else:
                    await transaction.rollback()
        except ServiceUnavailable:
            raise
        except Exception as error:
            if _is_unavailable(error):
                log.warning("database unavailable: %s", type(error).__name__)
                raise ServiceUnavailable("database unavailable", retry_after_seconds=1) from error
            raise

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._unit(write=False)

    def write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._unit(write=True)

    async def ping(self) -> bool:
        try:
            async with self.read() as connection:
                await connection.execute(text("SELECT 1"))
        except ServiceUnavailable:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
