"""Bad input gets a clear 4xx in the contract's shape, in the contract's order, and
changes nothing."""

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from drivers import PASSWORD, Rest, registration, signed_in

BODY_ROUTES = [
    ("POST", "/users/register"),
    ("POST", "/auth/login"),
    ("PATCH", "/me/profile"),
    ("POST", "/me/password"),
]
SESSION_ROUTES = [("PATCH", "/me/profile"), ("POST", "/me/password")]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        None,
    ],
)
async def test_a_body_that_is_not_declared_json_is_415_and_not_parsed(
    client: httpx.AsyncClient, method: str, path: str, content_type: str | None
) -> None:
    await signed_in(client)
    headers = {"Content-Type": content_type} if content_type else {}

    response = await client.request(
        method, path, content=json.dumps(registration()).encode(), headers=headers
    )

    assert response.status_code == 415
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_charset_parameter_is_fine(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/users/register",
        content=json.dumps(registration()).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 201


@pytest.mark.parametrize(("method", "path"), SESSION_ROUTES)
@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"{not json", "application/json"), (b"{}", "text/plain"), (b"[]", "application/json")],
)
async def test_without_a_session_the_body_is_never_looked_at(
    client: httpx.AsyncClient, method: str, path: str, content: bytes, content_type: str
) -> None:
    response = await client.request(
        method, path, content=content, headers={"Content-Type": content_type}
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized", "code": "UNAUTHORIZED"}


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
async def test_a_body_over_64_kib_is_413(client: httpx.AsyncClient, method: str, path: str) -> None:
    await signed_in(client)
    body = {"username": "x" * 70_000}

    response = await client.request(method, path, json=body)

    assert response.status_code == 413
    assert set(response.json()) == {"detail", "code"}


async def test_a_chunked_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = await client.post(
        "/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"null", b"42", b'"text"', b"\xff\xfe"])
async def test_malformed_json_or_json_that_is_not_an_object_is_422(
    client: httpx.AsyncClient, raw: bytes
) -> None:
    response = await client.post(
        "/users/register", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    items = response.json()["detail"]
    assert items
    assert all(set(item) == {"loc", "msg", "type"} for item in items)
    assert all(item["loc"][0] == "body" for item in items)


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"password": 12345678}, "password"),
        ({"email": None}, "email"),
        ({"phone": ["+79990001122"]}, "phone"),
        ({"username": {"first": "Ivan"}}, "username"),
        ({"is_admin": True}, "is_admin"),
    ],
)
async def test_wrong_types_nulls_and_unknown_keys_are_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, object], loc: str
) -> None:
    response = await client.post("/users/register", json={**registration(), **change})

    assert response.status_code == 422
    assert ["body", loc] in [item["loc"] for item in response.json()["detail"]]
    assert "12345678" not in response.text  # a wrong-typed password is never echoed


async def test_a_missing_field_is_422(client: httpx.AsyncClient) -> None:
    fields = registration()
    del fields["phone"]

    response = await client.post("/users/register", json=fields)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "phone"]
    assert response.json()["detail"][0]["type"] == "missing"


@pytest.mark.parametrize("field", ["email", "password", "phone", "username"])
async def test_a_lone_surrogate_in_any_field_is_422(client: httpx.AsyncClient, field: str) -> None:
    fields = registration()
    fields[field] = "ab\ud800cdefgh"
    raw = json.dumps(fields).encode()  # json escapes it as \\ud800, as a client would

    response = await client.post(
        "/users/register", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert ["body", field] in [item["loc"] for item in response.json()["detail"]]


async def test_deeply_nested_json_and_huge_numbers_are_422(client: httpx.AsyncClient) -> None:
    for raw in (b"[" * 100_00 + b"]" * 100_00, b'{"email": ' + b"9" * 5000 + b"}"):
        response = await client.post(
            "/auth/login", content=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422


async def test_one_422_names_every_invalid_field(client: httpx.AsyncClient) -> None:
    response = await Rest(client).register(
        email="not-an-email", password="short", phone="89123456789", username=""
    )

    assert response.status_code == 422
    assert sorted(item["loc"][1] for item in response.json()["detail"]) == [
        "email",
        "password",
        "phone",
        "username",
    ]


async def test_validation_of_the_new_password_comes_before_the_old_password_check(
    client: httpx.AsyncClient,
) -> None:
    await signed_in(client)

    response = await Rest(client).change_password("WrongOld1", "password123")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "new_password"]
    assert (await Rest(client).change_password(PASSWORD, "NewPlain")).status_code == 200


async def test_unknown_routes_answer_404_in_the_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "code": "NOT_FOUND"}


async def test_a_wrong_method_answers_405_in_the_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.delete("/me")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed", "code": "METHOD_NOT_ALLOWED"}


@pytest.mark.parametrize(("method", "path"), [*BODY_ROUTES, ("POST", "/auth/logout")])
async def test_a_foreign_origin_is_403_and_changes_nothing(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    user = await signed_in(client)

    response = await client.request(
        method,
        path,
        json={"username": "Evil"} if path == "/me/profile" else registration(),
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Forbidden origin", "code": "FORBIDDEN_ORIGIN"}
    assert (await Rest(client).profile()).json()["username"] == user["username"]


async def test_a_cross_site_fetch_without_origin_is_403(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/users/register", json=registration(), headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert response.status_code == 403


async def test_the_services_own_origin_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/users/register", json=registration(), headers={"Origin": "http://testserver"}
    )

    assert response.status_code == 201


async def test_responses_carry_the_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/me")

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


async def test_a_405_names_every_method_the_path_answers(client: httpx.AsyncClient) -> None:
    response = await client.delete("/me/profile")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
