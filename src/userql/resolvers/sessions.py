"""Session policy: issue, validate (absolute TTL, idle timeout, revocation), touch, revoke.

The client holds a 256-bit random token; the database holds only its SHA-256, so a
leaked database holds no usable session. A fast hash is right here: the token is random,
not a password, so there is nothing to brute-force.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from userql.persistence import sessions as session_rows
from userql.persistence.database import Database
from userql.resolvers.results import SessionIssued
from userql.settings import Settings

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43,128}")


@dataclass(frozen=True, slots=True)
class ActiveSession:
    id: int
    user_id: int


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible_token(token: str | None) -> str | None:
    """Garbage (wrong shape, oversized, non-ASCII) is refused without a database query."""
    if token is None or not _TOKEN_SHAPE.fullmatch(token):
        return None
    return token


async def issue_session(
    db: AsyncConnection,
    settings: Settings,
    *,
    user_id: int,
    now: datetime,
    user_agent: str | None,
    client_ip: str | None,
) -> SessionIssued:
    token = new_token()
    await session_rows.create(
        db,
        token_hash=hash_token(token),
        user_id=user_id,
        now=now,
        expires_at=now + timedelta(seconds=settings.session_ttl_seconds),
        user_agent=None if user_agent is None else user_agent[:512],
        client_ip=client_ip,
    )
    return SessionIssued(token=token, max_age_seconds=settings.session_ttl_seconds)


async def find_active_session(
    database: Database, settings: Settings, token: str | None, now: datetime
) -> ActiveSession | None:
    """One indexed lookup; a write only when activity is due to be recorded."""
    token = plausible_token(token)
    if token is None:
        return None
    async with database.read() as db:
        row = await session_rows.live_by_token_hash(db, hash_token(token), now)
    if row is None:
        return None
    idle_for = now - row.last_seen_at
    if idle_for >= timedelta(seconds=settings.session_idle_seconds):
        return None
    if idle_for >= timedelta(seconds=settings.session_touch_interval_seconds):
        async with database.write() as db:
            await session_rows.touch(db, row.id, now)
    return ActiveSession(id=row.id, user_id=row.user_id)


async def revoke_session(database: Database, token: str | None, now: datetime) -> None:
    token = plausible_token(token)
    if token is None:
        return
    async with database.write() as db:
        await session_rows.revoke(db, hash_token(token), now)
