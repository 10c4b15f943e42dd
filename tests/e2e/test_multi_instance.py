"""Two hosts, one PostgreSQL database: sessions, throttling and uniqueness live in the
database, so every instance agrees (contract sections 3 and 7)."""

import asyncio
import random
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from drivers import PASSWORD, registration
from harness import unique_phone
from servers import Server, run_userql, running_server, server_environment, session_cookie
from servers import with_session as carrying

pytestmark = pytest.mark.e2e

MAX_FAILURES = 3
WINDOW_SECONDS = 900
CONCURRENT_REGISTRATIONS = 10


@pytest.fixture(scope="module")
def instances(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Hosts A and B on one database, migrated once beforehand by `userql migrate`."""
    workdir = tmp_path_factory.mktemp("two-instances")
    environment = server_environment(
        database_url=postgres_url,
        login_max_failures=str(MAX_FAILURES),
        login_window_seconds=str(WINDOW_SECONDS),
    )
    run_userql("migrate", cwd=workdir, env=environment)
    with (
        running_server("--no-migrate", cwd=workdir, env=environment) as a,
        running_server("--no-migrate", cwd=workdir, env=environment) as b,
    ):
        yield a, b


@pytest.fixture
def a(instances: tuple[Server, Server]) -> Iterator[httpx.Client]:
    with instances[0].client() as client:
        yield client


@pytest.fixture
def b(instances: tuple[Server, Server]) -> Iterator[httpx.Client]:
    with instances[1].client() as client:
        yield client


def signed_up(client: httpx.Client) -> dict[str, Any]:
    fields = registration()
    response = client.post("/users/register", json=fields)
    assert response.status_code == 201, response.text
    return {**fields, "id": response.json()["id"]}


def log_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/auth/login", json={"email": email, "password": password})


def signed_in(client: httpx.Client) -> tuple[dict[str, Any], str]:
    """A new user logged in on `client`'s host, and the session token."""
    user = signed_up(client)
    response = log_in(client, user["email"])
    assert response.status_code == 200, response.text
    return user, session_cookie(response)


def test_a_session_from_a_is_valid_on_b(a: httpx.Client, b: httpx.Client) -> None:
    user, token = signed_in(a)

    me = b.get("/me", headers=carrying(token))

    assert me.status_code == 200, me.text
    assert me.json() == {"user_id": str(user["id"])}


def test_logout_on_b_ends_the_session_on_a(a: httpx.Client, b: httpx.Client) -> None:
    _user, token = signed_in(a)
    assert a.get("/me", headers=carrying(token)).status_code == 200

    logout = b.post("/auth/logout", headers=carrying(token))
    me = a.get("/me", headers=carrying(token))

    assert logout.status_code == 200, logout.text
    assert logout.json() == {"ok": True}
    assert me.status_code == 401, me.text
    assert me.json() == {"detail": "Unauthorized", "code": "UNAUTHORIZED"}


def test_failed_logins_on_a_and_b_add_up_to_one_limit(a: httpx.Client, b: httpx.Client) -> None:
    user = signed_up(a)
    wrong = "NotThePassword1"

    failures = [log_in(a, user["email"], wrong), log_in(a, user["email"], wrong)]
    failures.append(log_in(b, user["email"], wrong))
    with_the_right_password = log_in(a, user["email"])

    assert [failure.status_code for failure in failures] == [401] * MAX_FAILURES
    assert with_the_right_password.status_code == 429, with_the_right_password.text
    assert with_the_right_password.json() == {
        "detail": "Too many attempts",
        "code": "TOO_MANY_ATTEMPTS",
    }
    assert 1 <= int(with_the_right_password.headers["Retry-After"]) <= WINDOW_SECONDS
    assert "sid" not in with_the_right_password.cookies
    assert log_in(b, user["email"]).status_code == 429


def case_variants(email: str, count: int) -> list[str]:
    """`count` spellings of one address that differ only in letter case."""
    local, domain = email.split("@")
    variants = {email.lower(), f"{local.capitalize()}@{domain.capitalize()}", email.upper()}
    shuffle_case = random.Random(email)
    while len(variants) < count:
        variants.add("".join(shuffle_case.choice((c.lower(), c.upper())) for c in email))
    return sorted(variants)


async def test_concurrent_registrations_of_one_email_on_both_hosts_create_one_account(
    instances: tuple[Server, Server],
) -> None:
    emails = case_variants(f"user-{uuid.uuid4().hex[:10]}@example.com", CONCURRENT_REGISTRATIONS)
    async with instances[0].async_client() as a, instances[1].async_client() as b:
        hosts = [a, b] * (CONCURRENT_REGISTRATIONS // 2)
        answers = await asyncio.gather(
            *(
                host.post("/users/register", json=registration(email=email, phone=unique_phone()))
                for host, email in zip(hosts, emails, strict=True)
            )
        )

    statuses = sorted(answer.status_code for answer in answers)
    bodies = [answer.text for answer in answers]
    assert statuses == [201] + [409] * (CONCURRENT_REGISTRATIONS - 1), bodies
    for conflict in (answer for answer in answers if answer.status_code == 409):
        assert conflict.json() == {
            "detail": "Email already exists",
            "code": "EMAIL_ALREADY_EXISTS",
            "field": "email",
        }
