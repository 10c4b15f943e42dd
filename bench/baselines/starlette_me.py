"""Ceiling 1: a bare Starlette app answering GET /me with one indexed session lookup.

Same database file and schema as userql (table `sessions`, unique index on `token_hash`,
SHA-256 hex of the cookie `sid`), same stack underneath (SQLAlchemy Core async engine,
aiosqlite), nothing else: no middleware, no dependency injection, no validation.
Served by bench/run.py with the uvicorn options userql's `serve` uses (uvloop, httptools).
"""

import hashlib
import os
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

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


async def me(request: Request) -> JSONResponse:
    token = request.cookies.get("sid")
    if token:
        token_hash = hashlib.sha256(token.encode()).hexdigest()
        async with engine.connect() as db:
            row = (await db.execute(LOOKUP, {"token_hash": token_hash})).first()
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC
        if row is not None and row.revoked_at is None and row.expires_at > now:
            return JSONResponse({"user_id": str(row.user_id)})
    return JSONResponse({"detail": "Unauthorized", "code": "UNAUTHORIZED"}, status_code=401)


@asynccontextmanager
async def lifespan(_app: Starlette):  # type: ignore[no-untyped-def]
    yield
    await engine.dispose()


app = Starlette(routes=[Route("/me", me)], lifespan=lifespan)
