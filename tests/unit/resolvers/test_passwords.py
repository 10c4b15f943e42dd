"""The password hasher: argon2id, off the event loop, with bounded concurrency.

Only the first test pays for the production parameters; the rest use the cheapest
parameters argon2 allows, because what they check does not depend on the cost.
"""

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator

import pytest

from userql.errors import ServiceUnavailable
from userql.resolvers.passwords import Check, PasswordHasher
from userql.settings import Settings

CHEAP = {"memory_kib": 8, "time_cost": 1, "parallelism": 1}
# Costly enough that the event loop turns many times while one hash runs.
EXPENSIVE = {"memory_kib": 65536, "time_cost": 3, "parallelism": 1}

PASSWORD = "PlainTextPassword"


@contextlib.contextmanager
def open_hasher(
    *,
    memory_kib: int,
    time_cost: int,
    parallelism: int,
    concurrency: int = 2,
    queue: int = 8,
) -> Iterator[PasswordHasher]:
    hasher = PasswordHasher(
        memory_kib=memory_kib,
        time_cost=time_cost,
        parallelism=parallelism,
        concurrency=concurrency,
        queue=queue,
    )
    try:
        yield hasher
    finally:
        hasher.close()


@pytest.fixture
def hasher() -> Iterator[PasswordHasher]:
    with open_hasher(**CHEAP) as opened:
        yield opened


# --- the hash ------------------------------------------------------------------------------


async def test_the_default_settings_hash_with_argon2id_at_the_owasp_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [name for name in os.environ if name.startswith("USERQL_")]:
        monkeypatch.delenv(name)
    settings = Settings()
    with open_hasher(
        memory_kib=settings.argon2_memory_kib,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
        concurrency=settings.hash_concurrency,
        queue=settings.hash_queue,
    ) as default_hasher:
        stored = await default_hasher.hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_a_hash_never_contains_the_password(hasher: PasswordHasher) -> None:
    assert PASSWORD not in await hasher.hash(PASSWORD)


async def test_two_hashes_of_one_password_differ_by_their_salt(hasher: PasswordHasher) -> None:
    first = await hasher.hash(PASSWORD)
    second = await hasher.hash(PASSWORD)
    assert first != second
    assert await hasher.check(first, PASSWORD) is Check.MATCH
    assert await hasher.check(second, PASSWORD) is Check.MATCH


# --- checking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        pytest.param(PASSWORD, id="the memo's password"),
        pytest.param("  pass word  ", id="with spaces"),
        pytest.param("with\x00nul and\ttab", id="NUL and tab"),
        pytest.param("😀" * 128, id="128 emoji"),
    ],
)
async def test_a_password_matches_its_own_hash(hasher: PasswordHasher, password: str) -> None:
    assert await hasher.check(await hasher.hash(password), password) is Check.MATCH


@pytest.mark.parametrize(
    "presented",
    [
        pytest.param("NewPlain", id="another password"),
        pytest.param("plaintextpassword", id="other case"),
        pytest.param(f" {PASSWORD} ", id="padded"),
        pytest.param(PASSWORD[:-1], id="one character short"),
        pytest.param("", id="empty"),
    ],
)
async def test_any_other_string_mismatches(hasher: PasswordHasher, presented: str) -> None:
    assert await hasher.check(await hasher.hash(PASSWORD), presented) is Check.MISMATCH


async def test_a_password_is_checked_as_sent_without_normalisation(
    hasher: PasswordHasher,
) -> None:
    stored = await hasher.hash("e\u0301" * 8)
    assert await hasher.check(stored, "\u00e9" * 8) is Check.MISMATCH


def _garbage(_: str) -> str:
    return "not-a-hash"


def _empty(_: str) -> str:
    return ""


def _cut_in_the_parameters(stored: str) -> str:
    return stored[: stored.index(",")]


def _digest_cut_off(stored: str) -> str:
    return stored[: stored.rindex("$")]


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(_garbage, id="not a hash at all"),
        pytest.param(_empty, id="empty"),
        pytest.param(_cut_in_the_parameters, id="truncated inside the parameters"),
        pytest.param(_digest_cut_off, id="truncated before the digest"),
    ],
)
async def test_a_stored_hash_that_cannot_be_parsed_is_unreadable_not_a_mismatch(
    hasher: PasswordHasher, corrupt: Callable[[str], str]
) -> None:
    stored = corrupt(await hasher.hash(PASSWORD))
    assert await hasher.check(stored, PASSWORD) is Check.UNREADABLE


async def test_a_hash_made_with_older_parameters_still_matches(hasher: PasswordHasher) -> None:
    with open_hasher(memory_kib=16, time_cost=2, parallelism=1) as older:
        stored = await older.hash(PASSWORD)
    assert await hasher.check(stored, PASSWORD) is Check.MATCH


# --- rehashing -----------------------------------------------------------------------------


async def test_a_hash_made_with_the_current_parameters_needs_no_rehash(
    hasher: PasswordHasher,
) -> None:
    assert hasher.needs_rehash(await hasher.hash(PASSWORD)) is False


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"memory_kib": 16, "time_cost": 1, "parallelism": 1}, id="more memory"),
        pytest.param({"memory_kib": 8, "time_cost": 2, "parallelism": 1}, id="more time"),
        pytest.param({"memory_kib": 16, "time_cost": 1, "parallelism": 2}, id="more lanes"),
    ],
)
async def test_a_hash_made_with_other_parameters_needs_a_rehash(
    hasher: PasswordHasher, other: dict[str, int]
) -> None:
    with open_hasher(**other) as elsewhere:
        stored = await elsewhere.hash(PASSWORD)
    assert hasher.needs_rehash(stored) is True


# --- the event loop and the queue ----------------------------------------------------------


async def test_hashing_runs_off_the_event_loop() -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    with open_hasher(**EXPENSIVE, concurrency=1, queue=0) as expensive:
        ticker = asyncio.create_task(tick())
        await expensive.hash(PASSWORD)
        ticks_while_hashing = ticks
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker

    # A hash computed on the loop would hold it until done: the ticker would not turn once.
    assert ticks_while_hashing >= 10


def _second_hash(hasher: PasswordHasher) -> Awaitable[object]:
    return hasher.hash("NewPlain")


def _second_check(hasher: PasswordHasher) -> Awaitable[object]:
    return hasher.check("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "NewPlain")


def _second_decoy_check(hasher: PasswordHasher) -> Awaitable[None]:
    return hasher.check_decoy("NewPlain")


@pytest.mark.parametrize(
    "second_call",
    [
        pytest.param(_second_hash, id="hash"),
        pytest.param(_second_check, id="check"),
        pytest.param(_second_decoy_check, id="decoy check"),
    ],
)
async def test_with_no_free_slot_and_no_queue_a_second_call_is_turned_away_at_once(
    second_call: Callable[[PasswordHasher], Awaitable[object]],
) -> None:
    with open_hasher(**CHEAP, concurrency=1, queue=0) as hasher:
        first = asyncio.create_task(hasher.hash(PASSWORD))
        await asyncio.sleep(0)  # the first call takes the only slot

        with pytest.raises(ServiceUnavailable) as turned_away:
            await second_call(hasher)
        assert not first.done(), "the second call waited for the first instead of failing"
        assert turned_away.value.retry_after_seconds >= 1

        stored = await first
        assert await hasher.check(stored, PASSWORD) is Check.MATCH


async def test_a_queued_call_waits_and_a_call_beyond_the_queue_is_turned_away() -> None:
    with open_hasher(**CHEAP, concurrency=1, queue=1) as hasher:
        running = asyncio.create_task(hasher.hash(PASSWORD))
        queued = asyncio.create_task(hasher.hash("OldPlain"))
        await asyncio.sleep(0)  # both calls are admitted

        with pytest.raises(ServiceUnavailable):
            await hasher.hash("NewPlain")

        hashes = await asyncio.gather(running, queued)
        assert [await hasher.check(stored, PASSWORD) for stored in hashes] == [
            Check.MATCH,
            Check.MISMATCH,
        ]


async def test_a_full_hasher_accepts_work_again_once_its_calls_finish() -> None:
    with open_hasher(**CHEAP, concurrency=1, queue=1) as hasher:
        first_wave = [asyncio.create_task(hasher.hash(PASSWORD)) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(ServiceUnavailable):
            await hasher.hash(PASSWORD)
        await asyncio.gather(*first_wave)

        second_wave = await asyncio.gather(*(hasher.hash(PASSWORD) for _ in range(2)))
        assert all(stored.startswith("$argon2id$") for stored in second_wave)


# --- the decoy -----------------------------------------------------------------------------


async def test_the_decoy_check_completes_and_answers_nothing(hasher: PasswordHasher) -> None:
    await hasher.check_decoy(PASSWORD)
    await hasher.check_decoy("")


async def test_the_decoy_check_runs_a_real_verification_in_a_hashing_slot() -> None:
    with open_hasher(**CHEAP, concurrency=1, queue=0) as hasher:
        decoy = asyncio.create_task(hasher.check_decoy(PASSWORD))
        await asyncio.sleep(0)

        with pytest.raises(ServiceUnavailable):
            await hasher.hash(PASSWORD)

        await decoy
        assert decoy.result() is None


async def test_a_cancelled_caller_keeps_its_slot_until_its_hash_really_ends() -> None:
    with open_hasher(**EXPENSIVE, concurrency=1, queue=0) as hasher:
        abandoned = asyncio.create_task(hasher.hash(PASSWORD))
        await asyncio.sleep(0)  # the hash is running in the pool
        abandoned.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await abandoned

        with pytest.raises(ServiceUnavailable):
            await hasher.hash(PASSWORD)  # the abandoned work still holds the only slot

        for _ in range(200):  # the slot comes back once argon2 finishes
            await asyncio.sleep(0.05)
            with contextlib.suppress(ServiceUnavailable):
                stored = await hasher.hash(PASSWORD)
                break
        else:
            pytest.fail("the slot never came back")
        assert await hasher.check(stored, PASSWORD) is Check.MATCH
