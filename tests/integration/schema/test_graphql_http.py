"""GraphQL over HTTP: cookies, the explorer, introspection, and refusals that run nothing."""

import httpx
import pytest

from drivers import OPERATIONS, PASSWORD, GraphQL, Rest, registration, signed_in, signed_up
from harness import ClientFactory


async def test_login_over_graphql_sets_the_same_cookie_as_rest(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    response = await GraphQL(client).post(
        OPERATIONS["login"], {"input": {"email": user["email"], "password": PASSWORD}}
    )

    assert response.json()["data"]["login"]["user"]["id"] == str(user["id"])
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=604800" in cookie
    assert (await Rest(client).me()).json() == {"user_id": str(user["id"])}


async def test_logout_over_graphql_revokes_the_session_and_expires_the_cookie(
    client: httpx.AsyncClient,
) -> None:
    await signed_in(client)
    token = client.cookies["sid"]

    response = await GraphQL(client).post(OPERATIONS["logout"])

    assert response.json() == {"data": {"logout": {"__typename": "LoggedOut", "ok": True}}}
    assert "Max-Age=0" in response.headers["set-cookie"]
    client.cookies.set("sid", token)
    assert (await GraphQL(client).run("me"))["__typename"] == "Unauthorized"


async def test_viewer_user_id_equals_the_rest_user_id(client: httpx.AsyncClient) -> None:
    await signed_in(client)

    viewer = await GraphQL(client).run("me")

    assert viewer["userId"] == (await Rest(client).me()).json()["user_id"]


@pytest.mark.parametrize(
    "input_fields",
    [
        {"email": "a@example.com", "password": "x"},
        {**registration(), "extra": "field"},
        {**registration(), "email": None},
        {**registration(), "phone": 79990001122},
    ],
)
async def test_missing_unknown_null_or_wrongly_typed_input_is_a_graphql_error(
    client: httpx.AsyncClient, input_fields: dict[str, object]
) -> None:
    response = await GraphQL(client).post(OPERATIONS["register"], {"input": input_fields})

    assert response.status_code < 500
    assert response.json()["errors"]
    assert response.json().get("data") is None


async def test_a_post_that_is_not_json_is_415_and_runs_nothing(
    client: httpx.AsyncClient,
) -> None:
    await signed_in(client)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = await client.post(
            "/graphql",
            content=b'{"query": "mutation { logout { ok } }"}',
            headers=headers,
        )
        assert response.status_code == 415
    assert (await Rest(client).me()).status_code == 200


async def test_a_mutation_over_get_is_405_with_allow_post(client: httpx.AsyncClient) -> None:
    await signed_in(client)

    response = await client.get("/graphql", params={"query": "mutation { logout { ok } }"})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert (await Rest(client).me()).status_code == 200


async def test_a_query_over_get_works(client: httpx.AsyncClient) -> None:
    await signed_in(client)

    response = await client.get("/graphql", params={"query": "{ me { __typename } }"})

    assert response.json() == {"data": {"me": {"__typename": "Viewer"}}}


async def test_graphiql_is_served_to_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_graphiql_can_be_switched_off(make_client: ClientFactory) -> None:
    client = make_client(graphiql=False)

    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 404


async def test_introspection_is_on_by_default_and_can_be_switched_off(
    make_client: ClientFactory,
) -> None:
    query = "{ __schema { queryType { name } } }"
    on = await GraphQL(make_client()).post(query)
    off = await GraphQL(make_client(graphql_introspection=False)).post(query)

    assert on.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert off.json()["errors"]
    assert off.json().get("data") is None


async def test_a_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    response = await GraphQL(client).post("{ me { __typename } }" + " " * 70_000)

    assert response.status_code == 413


async def test_a_foreign_origin_cannot_run_a_mutation(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    response = await GraphQL(client).post(
        OPERATIONS["login"],
        {"input": {"email": user["email"], "password": PASSWORD}},
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_batched_requests_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json=[{"query": "{ me { __typename } }"}, {"query": "{ me { __typename } }"}]
    )

    assert response.status_code == 400


async def test_every_error_member_carries_a_message(client: httpx.AsyncClient) -> None:
    result = await GraphQL(client).run("profile")

    assert result == {"__typename": "Unauthorized", "message": "Unauthorized"}


GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_the_graphql_response_media_type_is_answered_in_kind(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ me { __typename } }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.json() == {"data": {"me": {"__typename": "Unauthorized"}}}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ me { __typename", None),
        ("{ nope }", None),
        ("mutation($i: LoginInput!) { login(input: $i) { __typename } }", {"i": {"email": 1}}),
    ],
    ids=["does not parse", "does not validate", "variables do not coerce"],
)
async def test_a_request_error_is_400_without_data_for_graphql_response_clients(
    client: httpx.AsyncClient, query: str, variables: dict[str, object] | None
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Accept": GRAPHQL_RESPONSE},
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert "data" not in response.json()
    assert response.json()["errors"]


async def test_legacy_json_clients_get_200_for_request_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"]


async def test_an_accept_header_without_json_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ me { __typename } }"}, headers={"Accept": "text/csv"}
    )

    assert response.status_code == 406


async def test_cookies_survive_the_graphql_response_media_type(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    response = await GraphQL(client).post(
        OPERATIONS["login"],
        {"input": {"email": user["email"], "password": PASSWORD}},
        headers={"Accept": GRAPHQL_RESPONSE},
    )

    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert "sid=" in response.headers["set-cookie"]
