"""argon2id hashing off the event loop, with bounded concurrency and a bounded queue.

argon2 is CPU- and memory-heavy by design. Hashes run on a small thread pool (argon2-cffi
releases the GIL), at most `concurrency` at once so a login flood cannot exhaust memory,
and at most `queue` more waiting; beyond that the caller gets ServiceUnavailable (503)
at once instead of a pile-up that would time out anyway.
"""

import asyncio
import contextlib
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import Enum, auto
from typing import TypeVar

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from userql.errors import ServiceUnavailable

T = TypeVar("T")


class Check(Enum):
    MATCH = auto()
    MISMATCH = auto()
    UNREADABLE = auto()
    """The stored hash cannot be parsed: corrupted data, not a wrong password."""


class PasswordHasher:
    def __init__(
        self,
        *,
        memory_kib: int,
        time_cost: int,
        parallelism: int,
        concurrency: int,
        queue: int,
    ) -> None:
        self._argon2 = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=argon2.Type.ID,
        )
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self._capacity = concurrency + queue
        self._admitted = 0
        # Verified against when the account does not exist, so that an unknown email
        # costs the same time as a wrong password.
        self._decoy = self._argon2.hash(secrets.token_urlsafe(16))

    async def _off_loop(self, work: Callable[[], T]) -> T:
        if self._admitted >= self._capacity:
            raise ServiceUnavailable("password hashing queue is full", retry_after_seconds=1)
        loop = asyncio.get_running_loop()
        self._admitted += 1
        job = self._pool.submit(work)
        # The slot is freed when the work itself ends, not when the caller stops waiting:
        # a cancelled request must not leave argon2 work running outside the bound.
        job.add_done_callback(lambda _job: self._release_from_any_thread(loop))
        return await asyncio.wrap_future(job)

    def _release_from_any_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is counting
            loop.call_soon_threadsafe(self._release)

    def _release(self) -> None:
        self._admitted -= 1

    async def hash(self, password: str) -> str:
        return await self._off_loop(lambda: self._argon2.hash(password))

    async def check(self, stored_hash: str, password: str) -> Check:
        return await self._off_loop(lambda: self._verify(stored_hash, password))

    async def check_decoy(self, password: str) -> None:
        await self.check(self._decoy, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(stored_hash)
        except (InvalidHashError, ValueError):
            return False

    def _verify(self, stored_hash: str, password: str) -> Check:
        try:
            self._argon2.verify(stored_hash, password)
        except VerifyMismatchError:
            return Check.MISMATCH
        except (InvalidHashError, VerificationError, ValueError):
            return Check.UNREADABLE
        return Check.MATCH

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
