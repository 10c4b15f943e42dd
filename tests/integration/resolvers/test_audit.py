"""The audit log: one line per account event; never a secret."""

import json
import logging

import httpx
import pytest

from drivers import PASSWORD, GraphQL, Rest, session_token, signed_up, sql
from userql.logs import quiet_libraries


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "userql.audit"]


async def test_each_account_event_leaves_one_line_with_its_outcome(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user = await signed_up(client)
    await Rest(client).login(user["email"], "WrongPassword1")
    await Rest(client).login(user["email"])
    await Rest(client).change_password(PASSWORD, "NewPlain")
    await Rest(client).logout()

    lines = audit_lines(caplog)

    assert [(line["event"], line["outcome"]) for line in lines] == [
        ("register", "Profile"),
        ("login", "InvalidCredentials"),
        ("login", "LoginSuccess"),
        ("change_password", "PasswordChanged"),
        ("logout", "LoggedOut"),
    ]
    assert lines[0]["user_id"] == user["id"]
    assert lines[1]["user_id"] is None
    assert lines[2]["user_id"] == user["id"]
    assert lines[3]["user_id"] == user["id"]
    assert all(line["client_ip"] == "127.0.0.1" for line in lines)
    assert all(line["request_id"] for line in lines)


async def test_a_throttled_attempt_is_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(11):
        await Rest(client).login("ghost@example.com", "WrongPassword1")

    assert audit_lines(caplog)[-1]["outcome"] == "TooManyAttempts"


async def test_the_request_id_is_the_callers_when_sane(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    response = await client.post(
        "/auth/login",
        json={"email": "a@example.com", "password": "x"},
        headers={"X-Request-ID": "req-42"},
    )
    forged = await client.post(
        "/auth/login",
        json={"email": "a@example.com", "password": "x"},
        headers={"X-Request-ID": "evil\tid"},
    )

    assert response.headers["x-request-id"] == "req-42"
    assert forged.headers["x-request-id"] != "evil\tid"
    assert [line["request_id"] for line in audit_lines(caplog)] == [
        "req-42",
        forged.headers["x-request-id"],
    ]


async def test_no_password_token_cookie_or_hash_is_ever_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, clean_database: str
) -> None:
    quiet_libraries()  # as `userql serve` does
    caplog.set_level(logging.DEBUG)
    secrets = {PASSWORD, "WrongPassword1", "NewPlain", "Sneaky\r\nfake line"}
    user = await signed_up(client)
    await Rest(client).login(user["email"], "WrongPassword1")
    await Rest(client).login(user["email"], "Sneaky\r\nfake line")
    await Rest(client).login(user["email"])
    token = session_token(client)
    await Rest(client).change_password(PASSWORD, "NewPlain")
    await GraphQL(client).run("changePassword", oldPassword="NewPlain", newPassword="short")
    await client.post("/graphql", json={"query": "mutation { login(input: {}) { __typename } }"})
    await Rest(client).logout()
    [(stored_hash,)] = await sql(clean_database, "SELECT password_hash FROM users")

    logged = "\n".join(
        record.getMessage() + str(record.args) + str(record.__dict__) for record in caplog.records
    )

    assert logged
    for secret in (*secrets, token, stored_hash, "sid="):
        assert secret not in logged
