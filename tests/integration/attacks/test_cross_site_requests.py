"""A page on another site holding the user's cookie can send simple requests (form posts,
text/plain) without a CORS preflight. None of them may change anything."""

import httpx
import pytest

from drivers import PASSWORD, Rest, signed_in
from harness import ClientFactory

SIMPLE_BODIES = [
    ("text/plain", b'{"username": "Pwned"}'),
    ("application/x-www-form-urlencoded", b"username=Pwned"),
    (
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nPwned\r\n--b--\r\n',
    ),
]
STATE_CHANGING = [
    ("POST", "/users/register"),
    ("POST", "/auth/login"),
    ("PATCH", "/me/profile"),
    ("POST", "/me/password"),
    ("POST", "/graphql"),
]


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING)
@pytest.mark.parametrize(("content_type", "body"), SIMPLE_BODIES)
async def test_simple_content_types_are_refused_everywhere(
    client: httpx.AsyncClient, method: str, path: str, content_type: str, body: bytes
) -> None:
    await signed_in(client)

    response = await client.request(
        method, path, content=body, headers={"Content-Type": content_type}
    )

    assert response.status_code == 415
    assert (await Rest(client).profile()).json()["username"] == "Ivan Petrov"


@pytest.mark.parametrize(("method", "path"), [*STATE_CHANGING, ("POST", "/auth/logout")])
async def test_a_foreign_origin_is_refused_even_with_json(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    await signed_in(client)
    body = (
        {"query": "mutation { logout { ok } }"}
        if path == "/graphql"
        else {"username": "Pwned", "old_password": PASSWORD, "new_password": "Pwned12345"}
    )

    response = await client.request(
        method, path, json=body, headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 403
    assert (await Rest(client).me()).status_code == 200
    assert (await Rest(client).profile()).json()["username"] == "Ivan Petrov"


async def test_an_origin_listed_as_allowed_may_call_with_credentials(
    make_client: ClientFactory,
) -> None:
    client = make_client(allowed_origins="https://app.example")
    await signed_in(client)

    preflight = await client.options(
        "/me/profile",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    renamed = await client.patch(
        "/me/profile", json={"username": "Friend"}, headers={"Origin": "https://app.example"}
    )

    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert renamed.status_code == 200
    assert renamed.headers["access-control-allow-origin"] == "https://app.example"


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/me",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    read = await client.get("/me", headers={"Origin": "https://app.example"})

    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in read.headers
