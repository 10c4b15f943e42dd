"""Bulk seeding for the benchmark: users and sessions written straight into the database,
with the columns, types and value formats userql itself writes (its own table objects and
SQLAlchemy's own bind processors decide the formats, so nothing is guessed here).

Users get one precomputed argon2id hash (userql's parameters) of BULK_PASSWORD; every
session's client token is derived from its index (`token_for`), so the token list handed
to wrk and the `token_hash` column (SHA-256 hex, as userql computes it) always agree.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BULK_PASSWORD = "bench-Password-7f3a"
TOKEN_SALT = "userql-bench"
SESSION_TTL = timedelta(days=7)
BATCH = 50_000


def token_for(index: int) -> str:
    """A cookie token shaped like userql's (43 url-safe characters), known from its index."""
    digest = hashlib.sha256(f"{TOKEN_SALT}:{index}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_for(index: int) -> str:
    return f"bulk{index}@bench.example.com"


def phone_for(index: int) -> str:
    return f"+79{index:09d}"  # E.164, as userql stores it


def argon2_hash(password: str = BULK_PASSWORD) -> str:
    """One hash with userql's own parameters (read from its Settings defaults)."""
    import argon2

    from userql.settings import Settings

    settings = Settings()
    hasher = argon2.PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        type=argon2.Type.ID,
    )
    return hasher.hash(password)


def _rows(
    first: int, count: int, password_hash: str, stamp: Any, expires: Any
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    for index in range(first, first + count):
        email = email_for(index)
        user = (
            index,
            email,
            email.casefold(),
            phone_for(index),
            f"Bulk User {index}",
            password_hash,
            stamp,
            stamp,
        )
        session = (
            index,
            token_hash(token_for(index)),
            index,
            stamp,
            stamp,
            expires,
            None,
            "wrk",
            "127.0.0.1",
        )
        yield user, session


def _sqlite_formats(now: datetime) -> tuple[str, str]:
    """`now` and `now + TTL` rendered exactly as userql's UTCDateTime columns store them."""
    from sqlalchemy.dialects import sqlite

    from userql.persistence.models import sessions

    dialect = sqlite.dialect()
    # UTCDateTime's own processor chain: aware UTC -> naive UTC -> SQLite's text form
    render = sessions.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    return render(now), render(now + SESSION_TTL)


def _insert_statements() -> tuple[str, str]:
    from userql.persistence.models import sessions, users

    def statement(table: Any) -> str:
        names = [column.name for column in table.c]
        return (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )

    return statement(users), statement(sessions)


def sqlite_bulk(
    path: Path, *, first: int, count: int, password_hash: str, log: Any = print
) -> None:
    """Inserts users first..first+count-1, each with one live session."""
    started = time.monotonic()
    stamp, expires = _sqlite_formats(datetime.now(UTC))
    insert_user, insert_session = _insert_statements()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA cache_size=-1048576")  # 1 GiB page cache for the index builds
        db.execute("PRAGMA synchronous=OFF")  # this connection only; the app sets FULL
        db.execute("BEGIN IMMEDIATE")
        done = 0
        rows = _rows(first, count, password_hash, stamp, expires)
        while done < count:
            batch = [next(rows) for _ in range(min(BATCH, count - done))]
            db.executemany(insert_user, [user for user, _ in batch])
            db.executemany(insert_session, [session for _, session in batch])
            done += len(batch)
            if count >= 10 * BATCH and done % (4 * BATCH) == 0:
                log(f"    seeded {done:,}/{count:,}")
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("ANALYZE")
    finally:
        db.close()
    log(
        f"    {count:,} users+sessions inserted into {path.name} "
        f"in {time.monotonic() - started:.1f}s"
    )


def sqlite_refresh_sessions(path: Path) -> float:
    """Marks every session as seen now, so a measurement that follows within the touch
    interval (60 s by default) measures lookups and not activity writes. Returns seconds."""
    started = time.monotonic()
    stamp, _ = _sqlite_formats(datetime.now(UTC))
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE revoked_at IS NULL", (stamp,))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        db.close()
    return time.monotonic() - started


def sqlite_count(path: Path, table: str) -> int:
    db = sqlite3.connect(path, timeout=30)
    try:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        db.close()


def sqlite_max_id(path: Path, table: str) -> int:
    db = sqlite3.connect(path, timeout=30)
    try:
        return int(db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
    finally:
        db.close()


# --- PostgreSQL (asyncpg, from userql's own environment) ---------------------------------


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    base, _, _name = _pg_dsn(url).rpartition("/")
    connection = await asyncpg.connect(f"{base}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def pg_create_database(url: str) -> None:
    name = url.rpartition("/")[2]
    asyncio.run(_pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_pg_admin(url, f'CREATE DATABASE "{name}"'))


def pg_drop_database(url: str) -> None:
    name = url.rpartition("/")[2]
    asyncio.run(_pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pg_reachable(url: str) -> str | None:
    """None when a connection to the server works, else the reason."""

    async def probe() -> None:
        import asyncpg

        base = _pg_dsn(url).rpartition("/")[0]
        connection = await asyncpg.connect(f"{base}/postgres", timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


async def _pg_bulk(url: str, first: int, count: int, password_hash: str) -> None:
    import asyncpg

    from userql.persistence.models import sessions, users

    now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as UTCDateTime stores it
    expires = now + SESSION_TTL
    connection = await asyncpg.connect(_pg_dsn(url))
    try:
        user_rows, session_rows = [], []
        for index in range(first, first + count):
            email = email_for(index)
            user_rows.append(
                (
                    index,
                    email,
                    email.casefold(),
                    phone_for(index),
                    f"Bulk User {index}",
                    password_hash,
                    now,
                    now,
                )
            )
            session_rows.append(
                (
                    index,
                    token_hash(token_for(index)),
                    index,
                    now,
                    now,
                    expires,
                    None,
                    "wrk",
                    "127.0.0.1",
                )
            )
        async with connection.transaction():
            await connection.copy_records_to_table(
                "users", records=user_rows, columns=[c.name for c in users.c]
            )
            await connection.copy_records_to_table(
                "sessions", records=session_rows, columns=[c.name for c in sessions.c]
            )
            # ids were given explicitly: move the sequences past them for the app's inserts
            for table in ("users", "sessions"):
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def pg_bulk(url: str, *, first: int, count: int, password_hash: str) -> None:
    asyncio.run(_pg_bulk(url, first, count, password_hash))


async def _pg_refresh(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(_pg_dsn(url))
    try:
        await connection.execute(
            "UPDATE sessions SET last_seen_at = $1 WHERE revoked_at IS NULL",
            datetime.now(UTC).replace(tzinfo=None),
        )
    finally:
        await connection.close()


def pg_refresh_sessions(url: str) -> float:
    started = time.monotonic()
    asyncio.run(_pg_refresh(url))
    return time.monotonic() - started


async def _pg_max_id(url: str, table: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(_pg_dsn(url))
    try:
        return int(await connection.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}"))
    finally:
        await connection.close()


def pg_max_id(url: str, table: str) -> int:
    return asyncio.run(_pg_max_id(url, table))
