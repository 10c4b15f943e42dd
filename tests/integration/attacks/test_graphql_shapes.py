"""One GraphQL request must not buy more than one REST request would: no alias or fragment
floods of password-checking mutations, no depth or token bombs."""

import httpx
import pytest

from drivers import PASSWORD, GraphQL, Rest, signed_up
from harness import ClientFactory

LOGIN = 'login(input: {{email: "{email}", password: "{password}"}}) {{ __typename }}'
GUESS = LOGIN.format(email="x@example.com", password="Guess1234")


async def test_an_alias_flood_of_logins_is_refused_before_anything_runs(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_up(client)
    guesses = " ".join(
        f"g{i}: " + LOGIN.format(email=user["email"], password=f"Guess{i:04d}x") for i in range(20)
    )

    response = await GraphQL(client).post(f"mutation {{ {guesses} }}")

    assert response.json()["errors"]
    assert response.json().get("data") is None
    for _ in range(9):  # not one of the 20 guesses was counted
        assert (await Rest(client).login(user["email"], "WrongPassword1")).status_code == 401
    assert (await Rest(client).login(user["email"], PASSWORD)).status_code == 200


@pytest.mark.parametrize(
    "document",
    [
        f"mutation {{ ...F ...F }} fragment F on Mutation {{ {GUESS} }}",
        f"mutation {{ ... on Mutation {{ {GUESS} }} b: {GUESS} }}",
        f"mutation A {{ {GUESS} }} mutation B {{ ...F }} fragment F on Mutation {{ {GUESS} }}",
        'mutation { register(input: {email: "a@example.com", password: "x", phone: "+79990001122",'
        ' username: "x"}) { __typename } ' + GUESS + " }",
    ],
    ids=["fragment twice", "inline fragment and alias", "two operations", "register and login"],
)
async def test_sensitive_mutations_cannot_be_repeated_through_fragments(
    client: httpx.AsyncClient, document: str
) -> None:
    response = await GraphQL(client).post(document)

    assert response.status_code < 500
    assert response.json()["errors"]
    assert response.json().get("data") is None


async def test_one_login_beside_other_fields_is_fine(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)
    document = (
        "mutation { " + LOGIN.format(email=user["email"], password=PASSWORD) + " logout { ok } }"
    )

    response = await GraphQL(client).post(document)

    assert response.json()["data"]["login"] == {"__typename": "LoginSuccess"}


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    document = "{ " + " ".join(f"a{i}: me {{ __typename }}" for i in range(31)) + " }"

    response = await GraphQL(client).post(document)

    assert response.json()["errors"]
    assert response.json().get("data") is None


async def test_a_deep_introspection_query_is_refused(client: httpx.AsyncClient) -> None:
    depth = 20
    document = (
        "{ __schema { types { " + "fields { type { " * depth + "name" + " } }" * depth + " } } }"
    )

    response = await GraphQL(client).post(document)

    assert response.json()["errors"]
    assert response.json().get("data") is None


async def test_a_token_bomb_is_refused(client: httpx.AsyncClient) -> None:
    document = "{ me { __typename " + "@include(if: true) " * 1500 + "} }"

    response = await GraphQL(client).post(document)

    assert response.status_code < 500
    assert response.json()["errors"]


async def test_limits_come_from_the_settings(make_client: ClientFactory) -> None:
    client = make_client(graphql_max_aliases=2)
    document = "{ a: me { __typename } b: me { __typename } c: me { __typename } }"

    response = await GraphQL(client).post(document)

    assert response.json()["errors"]
