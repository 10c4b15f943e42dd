"""Accounts: uniqueness judged by the database, races, hashes at rest, rehashing."""

import asyncio

import httpx

from drivers import PASSWORD, Rest, registration, signed_up, sql
from harness import ClientFactory


async def test_concurrent_registrations_of_one_email_end_in_one_success(
    client: httpx.AsyncClient,
) -> None:
    variants = ["Race@Example.com", "race@example.com", "RACE@EXAMPLE.COM", "race@Example.Com"]

    responses = await asyncio.gather(
        *(Rest(client).register(**registration(email=variants[i % 4])) for i in range(12))
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 11
    conflicts = [r.json() for r in responses if r.status_code == 409]
    assert all(body["code"] == "EMAIL_ALREADY_EXISTS" for body in conflicts)


async def test_concurrent_registrations_of_one_phone_end_in_one_success(
    client: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(
        *(Rest(client).register(**registration(phone="+79990007777")) for _ in range(8))
    )

    assert sorted(r.status_code for r in responses) == [201] + [409] * 7


async def test_usernames_are_not_unique(client: httpx.AsyncClient) -> None:
    await signed_up(client, username="Same Name")

    response = await Rest(client).register(**registration(username="Same Name"))

    assert response.status_code == 201


async def test_a_failed_registration_leaves_nothing_behind(
    client: httpx.AsyncClient, clean_database: str
) -> None:
    user = await signed_up(client)

    await Rest(client).register(**registration(phone=user["phone"]))
    await Rest(client).register(**registration(password="short"))

    assert await sql(clean_database, "SELECT count(*) FROM users") == [(1,)]


async def test_passwords_are_stored_as_argon2id_hashes(
    client: httpx.AsyncClient, clean_database: str
) -> None:
    await signed_up(client)
    await signed_up(client)

    rows = await sql(clean_database, "SELECT password_hash FROM users")

    assert len({hash_ for (hash_,) in rows}) == 2
    assert all(hash_.startswith("$argon2id$v=19$m=8,t=1,p=1$") for (hash_,) in rows)
    assert all(PASSWORD not in hash_ for (hash_,) in rows)


async def test_a_login_upgrades_a_hash_made_with_older_parameters(
    make_client: ClientFactory, clean_database: str
) -> None:
    old = make_client(argon2_memory_kib=16, argon2_time_cost=2)
    user = await signed_up(old)
    current = make_client()

    assert (await Rest(current).login(user["email"], "WrongPassword1")).status_code == 401
    [(untouched,)] = await sql(clean_database, "SELECT password_hash FROM users")
    assert untouched.startswith("$argon2id$v=19$m=16,t=2,p=1$")

    assert (await Rest(current).login(user["email"], PASSWORD)).status_code == 200
    [(upgraded,)] = await sql(clean_database, "SELECT password_hash FROM users")
    assert upgraded.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert (await Rest(current).login(user["email"], PASSWORD)).status_code == 200


async def test_passwords_are_checked_exactly_as_sent(client: httpx.AsyncClient) -> None:
    password = "  pass\tword\x00 😀  "
    user = await signed_up(client, password=password)

    assert (await Rest(client).login(user["email"], password.strip())).status_code == 401
    assert (await Rest(client).login(user["email"], password)).status_code == 200


async def test_a_normalised_email_logs_in_whatever_case_is_typed(
    client: httpx.AsyncClient,
) -> None:
    await signed_up(client, email="Ab.Cd@Example.COM")

    response = await Rest(client).login("ab.cd@example.com")

    assert response.status_code == 200
