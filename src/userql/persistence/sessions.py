"""Queries on sessions. Tokens never reach this module: only their hashes do."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from userql.persistence.models import sessions


@dataclass(frozen=True, slots=True)
class LiveSession:
    id: int
    user_id: int
    last_seen_at: datetime


# Built once: this runs on every authenticated request.
_LIVE_BY_TOKEN_HASH = select(sessions.c.id, sessions.c.user_id, sessions.c.last_seen_at).where(
    sessions.c.token_hash == bindparam("token_hash"),
    sessions.c.revoked_at.is_(None),
    sessions.c.expires_at > bindparam("now", type_=sessions.c.expires_at.type),
)


async def live_by_token_hash(
    db: AsyncConnection, token_hash: str, now: datetime
) -> LiveSession | None:
    """The session if it is neither revoked nor past its absolute lifetime."""
    row = (await db.execute(_LIVE_BY_TOKEN_HASH, {"token_hash": token_hash, "now": now})).first()
    return None if row is None else LiveSession(*row)


async def create(
    db: AsyncConnection,
    *,
    token_hash: str,
    user_id: int,
    now: datetime,
    expires_at: datetime,
    user_agent: str | None,
    client_ip: str | None,
) -> None:
    await db.execute(
        insert(sessions).values(
            token_hash=token_hash,
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            user_agent=user_agent,
            client_ip=client_ip,
        )
    )


async def touch(db: AsyncConnection, session_id: int, now: datetime) -> None:
    await db.execute(
        update(sessions)
        .where(sessions.c.id == session_id, sessions.c.last_seen_at < now)
        .values(last_seen_at=now)
    )


async def revoke(db: AsyncConnection, token_hash: str, now: datetime) -> None:
    await db.execute(
        update(sessions)
        .where(sessions.c.token_hash == token_hash, sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_others(
    db: AsyncConnection, *, user_id: int, keep_session_id: int, now: datetime
) -> None:
    await db.execute(
        update(sessions)
        .where(
            sessions.c.user_id == user_id,
            sessions.c.id != keep_session_id,
            sessions.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
