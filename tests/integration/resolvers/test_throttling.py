"""Login throttling (contract section 3): per normalised email and client IP, a sliding
window, recorded before the password is checked, shared by both transports."""

import asyncio

import httpx
from fastapi import FastAPI

from drivers import PASSWORD, GraphQL, Rest, signed_in, signed_up
from harness import AppFactory, ClientFactory, Clock

WRONG = "WrongPassword1"


async def fail(client: httpx.AsyncClient, email: str, times: int) -> None:
    for _ in range(times):
        assert (await Rest(client).login(email, WRONG)).status_code == 401


def client_from(app: FastAPI, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 50000)), base_url="http://testserver"
    )


async def test_the_eleventh_attempt_is_429_even_with_the_right_password(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 10)

    response = await Rest(client).login(user["email"], PASSWORD)

    assert response.status_code == 429
    assert response.json() == {"detail": "Too many attempts", "code": "TOO_MANY_ATTEMPTS"}
    assert 1 <= int(response.headers["retry-after"]) <= 900
    assert "set-cookie" not in response.headers


async def test_the_window_slides(client: httpx.AsyncClient, clock: Clock) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 5)
    clock.advance(seconds=600)
    await fail(client, user["email"], 5)
    throttled = await Rest(client).login(user["email"], PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) == 300

    clock.advance(seconds=300)

    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200


async def test_attempts_answered_429_are_not_counted(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 10)
    for _ in range(20):
        assert (await Rest(client).login(user["email"], WRONG)).status_code == 429

    clock.advance(seconds=901)

    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200


async def test_a_successful_login_clears_the_counter(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 9)
    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200

    await fail(client, user["email"], 9)

    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200


async def test_unknown_emails_are_counted_and_case_variants_share_a_counter(
    client: httpx.AsyncClient,
) -> None:
    await fail(client, "Ghost@Example.com", 5)
    await fail(client, "ghost@EXAMPLE.com", 5)

    response = await Rest(client).login("GHOST@example.com", WRONG)

    assert response.status_code == 429


async def test_rest_and_graphql_share_one_counter(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 5)
    for _ in range(5):
        result = await GraphQL(client).run("login", email=user["email"], password=WRONG)
        assert result["__typename"] == "InvalidCredentials"

    result = await GraphQL(client).run("login", email=user["email"], password=PASSWORD)

    assert result["__typename"] == "TooManyAttempts"
    assert 1 <= result["retryAfterSeconds"] <= 900


async def test_the_counter_is_per_client_ip(make_app: AppFactory) -> None:
    app = make_app()
    async with (
        client_from(app, "203.0.113.1") as attacker,
        client_from(app, "203.0.113.2") as owner,
    ):
        user = await signed_up(owner)
        await fail(attacker, user["email"], 10)
        assert (await Rest(attacker).login(user["email"], PASSWORD)).status_code == 429

        assert (await Rest(owner).login(user["email"], PASSWORD)).status_code == 200


async def test_x_forwarded_for_does_not_reset_the_counter_by_default(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_up(client)
    await fail(client, user["email"], 10)

    response = await client.post(
        "/auth/login",
        json={"email": user["email"], "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )

    assert response.status_code == 429


async def test_throttling_leaves_existing_sessions_working(make_client: ClientFactory) -> None:
    owner, attacker = make_client(), make_client()
    user = await signed_in(owner)
    await fail(attacker, user["email"], 10)
    assert (await Rest(attacker).login(user["email"], PASSWORD)).status_code == 429

    assert (await Rest(owner).me()).status_code == 200
    assert (await Rest(owner).rename("Still Here")).status_code == 200


async def test_parallel_guesses_cannot_slip_under_the_limit(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    responses = await asyncio.gather(*(Rest(client).login(user["email"], WRONG) for _ in range(25)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * 10 + [429] * 15


async def test_the_limits_come_from_the_settings(make_client: ClientFactory, clock: Clock) -> None:
    client = make_client(login_max_failures=3, login_window_seconds=60)
    user = await signed_up(client)
    await fail(client, user["email"], 3)

    response = await Rest(client).login(user["email"], PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) == 60

    clock.advance(seconds=60)
    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200
