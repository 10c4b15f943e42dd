"""Ceiling 2: a plain FastAPI app answering GET /me with one indexed session lookup.

Written the way FastAPI's tutorial writes an endpoint: the cookie as a typed parameter,
a response model, HTTPException for 401; nothing else (no dependencies, no middleware).
The lookup is the Starlette ceiling's (SQLAlchemy Core async, aiosqlite, same file and
schema).
"""

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Cookie, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(os.environ["BENCH_DATABASE_URL"])

sessions = Table(
    "sessions",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64)),
    Column("user_id", Integer),
    Column("expires_at", DateTime),
    Column("revoked_at", DateTime),
)
LOOKUP = select(sessions.c.user_id, sessions.c.expires_at, sessions.c.revoked_at).where(
    sessions.c.token_hash == bindparam("token_hash")
)


class UserIdOut(BaseModel):
    user_id: str


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/me", response_model=UserIdOut)
async def me(sid: Annotated[str | None, Cookie()] = None) -> UserIdOut:
    if sid:
        token_hash = hashlib.sha256(sid.encode()).hexdigest()
        async with engine.connect() as db:
            row = (await db.execute(LOOKUP, {"token_hash": token_hash})).first()
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC
        if row is not None and row.revoked_at is None and row.expires_at > now:
            return UserIdOut(user_id=str(row.user_id))
    raise HTTPException(status_code=401, detail="Unauthorized")
