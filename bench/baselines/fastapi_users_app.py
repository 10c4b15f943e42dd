"""The peer: fastapi-users with its cookie transport and database session strategy on
SQLite, as its documentation sets it up (SQLAlchemy adapter, UUID ids, defaults for
everything else: pwdlib's argon2 + bcrypt password helper, cookie lifetime and token
lifetime from the docs' example). Runs in its own virtualenv (bench/.venvs/fastapi-users)
so its pins never touch userql's environment.

Tables `user` and `accesstoken` live in the same SQLite file as userql's tables.

    python fastapi_users_app.py seed --users N --tokens M --password P --out DIR
        inserts N users (one precomputed hash of P, by fastapi-users' own PasswordHelper)
        and M access tokens spread over them, and writes DIR/fu_users.txt, fu_tokens.txt.
"""

import argparse
import asyncio
import base64
import hashlib
import os
import sys
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi_users import BaseUserManager, FastAPIUsers, UUIDIDMixin, schemas
from fastapi_users.authentication import AuthenticationBackend, CookieTransport
from fastapi_users.authentication.strategy.db import AccessTokenDatabase, DatabaseStrategy
from fastapi_users.password import PasswordHelper
from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTableUUID, SQLAlchemyUserDatabase
from fastapi_users_db_sqlalchemy.access_token import (
    SQLAlchemyAccessTokenDatabase,
    SQLAlchemyBaseAccessTokenTableUUID,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite+aiosqlite:///./fastapi_users.db")
SECRET = "bench-not-a-secret"


class Base(DeclarativeBase):
    pass


class User(SQLAlchemyBaseUserTableUUID, Base):
    pass


class AccessToken(SQLAlchemyBaseAccessTokenTableUUID, Base):
    pass


engine = create_async_engine(DATABASE_URL)
async_session_maker = async_sessionmaker(engine, expire_on_commit=False)


async def create_db_and_tables() -> None:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


async def get_async_session() -> AsyncGenerator[AsyncSession, None]:
    async with async_session_maker() as session:
        yield session


async def get_user_db(session: AsyncSession = Depends(get_async_session)):  # type: ignore[no-untyped-def]
    yield SQLAlchemyUserDatabase(session, User)


async def get_access_token_db(session: AsyncSession = Depends(get_async_session)):  # type: ignore[no-untyped-def]
    yield SQLAlchemyAccessTokenDatabase(session, AccessToken)


class UserRead(schemas.BaseUser[uuid.UUID]):
    pass


class UserCreate(schemas.BaseUserCreate):
    pass


class UserUpdate(schemas.BaseUserUpdate):
    pass


class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):
    reset_password_token_secret = SECRET
    verification_token_secret = SECRET


async def get_user_manager(user_db=Depends(get_user_db)):  # type: ignore[no-untyped-def]
    yield UserManager(user_db)


cookie_transport = CookieTransport(cookie_max_age=3600)


def get_database_strategy(
    access_token_db: AccessTokenDatabase[AccessToken] = Depends(get_access_token_db),
) -> DatabaseStrategy:  # type: ignore[type-arg]
    return DatabaseStrategy(access_token_db, lifetime_seconds=3600)


auth_backend = AuthenticationBackend(
    name="cookie", transport=cookie_transport, get_strategy=get_database_strategy
)
fastapi_users = FastAPIUsers[User, uuid.UUID](get_user_manager, [auth_backend])


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    await create_db_and_tables()
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)
app.include_router(fastapi_users.get_auth_router(auth_backend), prefix="/auth/cookie")
app.include_router(fastapi_users.get_register_router(UserRead, UserCreate), prefix="/auth")
app.include_router(fastapi_users.get_users_router(UserRead, UserUpdate), prefix="/users")


# --- seeding (run by bench/run.py with this venv's python) -------------------------------


def _token(index: int) -> str:
    digest = hashlib.sha256(f"fastapi-users-bench:{index}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()  # 43 chars, like theirs


async def _seed(users: int, tokens: int, password: str, out: Path) -> None:
    await create_db_and_tables()
    hashed = PasswordHelper().hash(password)
    async with async_session_maker() as session:
        existing = (await session.execute(select(User.id))).scalars().all()
        made = [
            User(
                email=f"fu{index}@bench.example.com",
                hashed_password=hashed,
                is_active=True,
                is_superuser=False,
                is_verified=False,
            )
            for index in range(users)
        ]
        session.add_all(made)
        await session.commit()
        now = datetime.now(UTC)
        ids = [user.id for user in made] or list(existing)
        rows = [
            AccessToken(token=_token(index), user_id=ids[index % len(ids)], created_at=now)
            for index in range(tokens)
        ]
        session.add_all(rows)
        await session.commit()
    (out / "fu_users.txt").write_text("".join(f"{u.email}\n" for u in made))
    (out / "fu_tokens.txt").write_text("".join(f"{row.token}\n" for row in rows))
    await engine.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed")
    seed.add_argument("--users", type=int, required=True)
    seed.add_argument("--tokens", type=int, required=True)
    seed.add_argument("--password", required=True)
    seed.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    asyncio.run(_seed(args.users, args.tokens, args.password, args.out))


if __name__ == "__main__":
    main(sys.argv[1:])
