"""A login flood at full argon2 cost must not starve everyone else: a signed-in client
keeps getting answers, and logins beyond the hashing queue are told to come back."""

import asyncio
from collections.abc import Iterator

import pytest

from drivers import PASSWORD, registration
from servers import Server, running_server, server_environment, session_cookie, with_session

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = server_environment(
        argon2_memory_kib="19456",  # the production cost: this test is about it
        argon2_time_cost="2",
        hash_concurrency="1",
        hash_queue="8",
    )
    with running_server(cwd=tmp_path_factory.mktemp("flood"), env=env) as up:
        yield up


async def test_a_signed_in_client_keeps_getting_answers_during_a_login_flood(
    server: Server,
) -> None:
    async with server.async_client(timeout=30) as client:
        user = registration()
        assert (await client.post("/users/register", json=user)).status_code == 201
        login = await client.post(
            "/auth/login", json={"email": user["email"], "password": PASSWORD}
        )
        token = session_cookie(login)
        client.cookies.clear()

        async def guess(i: int) -> int:
            response = await client.post(
                "/auth/login",
                json={"email": f"flood{i}@example.com", "password": "WrongPassword1"},
            )
            return response.status_code

        async def read_me() -> list[int]:
            statuses = []
            for _ in range(40):
                response = await client.get("/me", headers=with_session(token))
                statuses.append(response.status_code)
            return statuses

        flood = asyncio.gather(*(guess(i) for i in range(90)))  # under the per-IP ceiling
        reader = asyncio.create_task(read_me())
        login_statuses, me_statuses = await asyncio.gather(flood, reader)

    assert me_statuses == [200] * 40
    assert set(login_statuses) <= {401, 503}
    assert 401 in login_statuses
    assert 503 in login_statuses  # the queue is bounded: the rest are told to come back
