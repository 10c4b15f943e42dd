import httpx

from drivers import GraphQL, Rest, signed_in


async def test_a_registered_user_reads_their_profile_over_both_transports(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_in(client)

    rest = await Rest(client).profile()
    graphql = await GraphQL(client).run("profile")

    assert rest.status_code == 200
    assert rest.json() == {
        "id": user["id"],
        "email": user["email"],
        "username": "Ivan Petrov",
        "phone": user["phone"],
    }
    assert graphql == {"__typename": "User", **{k: str(v) for k, v in rest.json().items()}}


async def test_probes_may_use_head(client: httpx.AsyncClient) -> None:
    for path in ("/", "/health/live", "/health/ready"):
        assert (await client.head(path)).status_code == 200
