"""argon2 under load: bounded concurrency, a bounded queue, 503 beyond it."""

import asyncio

import httpx

from drivers import GraphQL, Rest, registration
from harness import ClientFactory


async def test_twenty_simultaneous_registrations_are_all_answered_normally(
    client: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(*(Rest(client).register(**registration()) for _ in range(20)))

    assert [response.status_code for response in responses] == [201] * 20


async def test_beyond_the_queue_requests_get_503_with_retry_after(
    make_client: ClientFactory,
) -> None:
    client = make_client(
        hash_concurrency=1, hash_queue=1, argon2_memory_kib=32768, argon2_time_cost=3
    )

    responses = await asyncio.gather(*(Rest(client).register(**registration()) for _ in range(6)))

    statuses = [response.status_code for response in responses]
    assert set(statuses) == {201, 503}  # who is turned away depends on arrival order
    refused = next(r for r in responses if r.status_code == 503)
    assert refused.json() == {"detail": "Service unavailable", "code": "SERVICE_UNAVAILABLE"}
    assert int(refused.headers["retry-after"]) >= 1


async def test_graphql_says_service_unavailable_the_same_way(make_client: ClientFactory) -> None:
    client = make_client(
        hash_concurrency=1, hash_queue=0, argon2_memory_kib=32768, argon2_time_cost=3
    )
    api = GraphQL(client)
    from drivers import OPERATIONS

    responses = await asyncio.gather(
        *(api.post(OPERATIONS["register"], {"input": registration()}) for _ in range(4))
    )

    refused = [r for r in responses if r.status_code == 503]
    assert refused
    assert all(r.headers["retry-after"] for r in refused)
    error = refused[0].json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
