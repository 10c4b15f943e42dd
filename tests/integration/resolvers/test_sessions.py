"""Session rules (contract section 3): absolute lifetime, idle timeout, throttled
activity writes, revocation."""

import asyncio

import httpx

from drivers import Rest, session_token, signed_in, sql
from harness import ClientFactory, Clock


async def test_activity_never_extends_the_absolute_lifetime(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    await signed_in(client)
    for _ in range(7):
        clock.advance(hours=23)
        assert (await Rest(client).me()).status_code == 200
    clock.advance(hours=7)  # 7 x 23 h + 7 h = 168 h: exactly the lifetime

    assert (await Rest(client).me()).status_code == 401


async def test_a_session_idle_for_the_idle_timeout_ends(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    await signed_in(client)
    clock.advance(hours=23, minutes=59)
    assert (await Rest(client).me()).status_code == 200

    clock.advance(hours=23, minutes=59)
    assert (await Rest(client).me()).status_code == 200

    clock.advance(hours=24)
    assert (await Rest(client).me()).status_code == 401


async def test_lifetimes_come_from_the_settings(make_client: ClientFactory, clock: Clock) -> None:
    client = make_client(session_ttl_seconds=120, session_idle_seconds=30)
    user = await signed_in(client)
    login = await Rest(client).login(user["email"])
    assert "Max-Age=120" in login.headers["set-cookie"]

    clock.advance(seconds=29)
    assert (await Rest(client).me()).status_code == 200
    clock.advance(seconds=30)
    assert (await Rest(client).me()).status_code == 401


async def test_reading_a_session_writes_activity_at_most_once_per_touch_interval(
    client: httpx.AsyncClient, clock: Clock, clean_database: str
) -> None:
    await signed_in(client)
    [(first_seen,)] = await sql(clean_database, "SELECT last_seen_at FROM sessions")

    clock.advance(seconds=30)
    assert (await Rest(client).me()).status_code == 200
    assert await sql(clean_database, "SELECT last_seen_at FROM sessions") == [(first_seen,)]

    clock.advance(seconds=31)
    assert (await Rest(client).me()).status_code == 200
    [(touched,)] = await sql(clean_database, "SELECT last_seen_at FROM sessions")
    assert touched != first_seen


async def test_the_touch_interval_is_never_more_than_a_tenth_of_the_idle_timeout(
    make_client: ClientFactory, clock: Clock
) -> None:
    client = make_client(session_idle_seconds=100, session_touch_seconds=3600)
    await signed_in(client)
    for _ in range(5):
        clock.advance(seconds=60)
        assert (await Rest(client).me()).status_code == 200


async def test_garbage_oversized_and_non_ascii_cookies_are_401(client: httpx.AsyncClient) -> None:
    for token in (b"", b"x", b"a" * 60_000, "ключ".encode() * 20, b"../../etc", b"A" * 43 + b"%00"):
        response = await client.get("/me", headers={b"Cookie": b"sid=" + token})
        assert response.status_code == 401


async def test_the_session_is_read_only_from_the_cookie(client: httpx.AsyncClient) -> None:
    await signed_in(client)
    token = session_token(client)
    client.cookies.clear()

    assert (await client.get(f"/me?sid={token}")).status_code == 401
    assert (
        await client.get("/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 401


async def test_tokens_are_distinct_and_url_safe(client: httpx.AsyncClient) -> None:
    user = await signed_in(client)
    tokens = set()
    for _ in range(20):
        response = await Rest(client).login(user["email"])
        tokens.add(response.cookies["sid"])

    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


async def test_concurrent_requests_on_one_session_all_succeed(client: httpx.AsyncClient) -> None:
    await signed_in(client)

    responses = await asyncio.gather(*(Rest(client).profile() for _ in range(20)))

    assert {response.status_code for response in responses} == {200}
