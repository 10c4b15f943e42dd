"""Login failure counters, shared by every worker and host through the database."""

import hashlib
import time
from datetime import datetime

from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from userql.persistence.models import login_failures


async def lock_pair(db: AsyncConnection, email_key: str, client_ip: str) -> None:
    """Serialise attempts on one (email, IP) pair until the transaction ends.

    SQLite writers are already serialised by BEGIN IMMEDIATE; PostgreSQL needs an
    advisory lock, or parallel guesses could all count the same N-1 failures.
    """
    if db.dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"{email_key}\0{client_ip}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    await db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def failures_since(
    db: AsyncConnection,
    *,
    since: datetime,
    limit: int,
    email_key: str | None = None,
    client_ip: str | None = None,
) -> list[datetime]:
    """The newest failures after `since` for an email, an IP or both; newest first."""
    query = select(login_failures.c.attempted_at).where(login_failures.c.attempted_at > since)
    if email_key is not None:
        query = query.where(login_failures.c.email_key == email_key)
    if client_ip is not None:
        query = query.where(login_failures.c.client_ip == client_ip)
    rows = await db.execute(query.order_by(login_failures.c.attempted_at.desc()).limit(limit))
    return list(rows.scalars())


PRUNE_EVERY_SECONDS = 60.0
_last_pruned = -PRUNE_EVERY_SECONDS


async def record_failure(
    db: AsyncConnection, email_key: str, client_ip: str, *, now: datetime, forget_before: datetime
) -> None:
    """Records a failure; now and then forgets those older than every window (they no
    longer count, so how often they are deleted changes no answer)."""
    global _last_pruned
    if time.monotonic() - _last_pruned >= PRUNE_EVERY_SECONDS:
        _last_pruned = time.monotonic()
        await db.execute(
            delete(login_failures).where(login_failures.c.attempted_at <= forget_before)
        )
    await db.execute(
        insert(login_failures).values(email_key=email_key, client_ip=client_ip, attempted_at=now)
    )


async def clear_pair(db: AsyncConnection, email_key: str, client_ip: str) -> None:
    await db.execute(
        delete(login_failures).where(
            login_failures.c.email_key == email_key, login_failures.c.client_ip == client_ip
        )
    )
