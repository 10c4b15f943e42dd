"""Queries on users."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from userql.persistence.models import users


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    email: str
    username: str
    phone: str
    password_hash: str


class Taken(Enum):
    EMAIL = "email"
    PHONE = "phone"


_COLUMNS = (users.c.id, users.c.email, users.c.username, users.c.phone, users.c.password_hash)


async def by_id(db: AsyncConnection, user_id: int) -> UserRecord | None:
    row = (await db.execute(select(*_COLUMNS).where(users.c.id == user_id))).first()
    return None if row is None else UserRecord(*row)


async def by_email_key(db: AsyncConnection, email_key: str) -> UserRecord | None:
    row = (await db.execute(select(*_COLUMNS).where(users.c.email_key == email_key))).first()
    return None if row is None else UserRecord(*row)


async def taken(db: AsyncConnection, *, email_key: str, phone: str) -> Taken | None:
    """Which unique value is already used, email first (the contract reports email)."""
    if (await db.execute(select(users.c.id).where(users.c.email_key == email_key))).first():
        return Taken.EMAIL
    if (await db.execute(select(users.c.id).where(users.c.phone == phone))).first():
        return Taken.PHONE
    return None


async def insert_user(
    db: AsyncConnection,
    *,
    email: str,
    email_key: str,
    phone: str,
    username: str,
    password_hash: str,
    now: datetime,
) -> int | None:
    """The new id, or None when a unique index refused the row (a concurrent twin won)."""
    statement = (
        insert(users)
        .values(
            email=email,
            email_key=email_key,
            phone=phone,
            username=username,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
        .returning(users.c.id)
    )
    try:
        async with db.begin_nested():
            return int((await db.execute(statement)).scalar_one())
    except IntegrityError:
        return None


async def set_username(db: AsyncConnection, user_id: int, username: str, now: datetime) -> bool:
    result = await db.execute(
        update(users).where(users.c.id == user_id).values(username=username, updated_at=now)
    )
    return result.rowcount > 0


async def set_password_hash(
    db: AsyncConnection, user_id: int, password_hash: str, now: datetime
) -> None:
    await db.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(password_hash=password_hash, updated_at=now)
    )
