"""`userql serve | migrate | export-schema` as an operator runs them (contract section 7)."""

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.script import ScriptDirectory

from drivers import PASSWORD, registration
from servers import (
    Server,
    run_userql,
    running_server,
    server_environment,
    session_cookie,
    with_session,
)
from userql.persistence.migrate import alembic_config

pytestmark = pytest.mark.e2e

ME_QUERY = "{ me { __typename ... on Viewer { userId } } }"
UNREACHABLE_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:1/x"
SERVICE_UNAVAILABLE = {"detail": "Service unavailable", "code": "SERVICE_UNAVAILABLE"}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def applied_revision(sqlite_file: Path) -> str:
    with closing(sqlite3.connect(sqlite_file)) as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert len(rows) == 1, rows
    revision: str = rows[0][0]
    return revision


def register_and_log_in(client: httpx.Client) -> dict[str, Any]:
    """The memo's flow over REST: register, then log in; the client's jar now holds `sid`."""
    fields = registration()
    registered = client.post("/users/register", json=fields)
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["id"]
    assert registered.json() == {
        "id": user_id,
        "email": fields["email"],
        "username": fields["username"],
        "phone": fields["phone"],
    }
    logged_in = client.post("/auth/login", json={"email": fields["email"], "password": PASSWORD})
    assert logged_in.status_code == 200, logged_in.text
    assert logged_in.json() == {"user_id": str(user_id)}
    return {**fields, "id": user_id, "token": session_cookie(logged_in)}


def test_serve_with_no_configuration_keeps_a_migrated_sqlite_file_in_the_working_directory(
    tmp_path: Path,
) -> None:
    assert not any(tmp_path.iterdir())

    with running_server(cwd=tmp_path, env=server_environment()) as server:
        database_file = tmp_path / "userql.db"
        assert database_file.is_file()
        assert applied_revision(database_file) == head_revision()

        with server.client() as client:
            user = register_and_log_in(client)

            me = client.get("/me")
            graphql = client.post("/graphql", json={"query": ME_QUERY})

    assert me.status_code == 200, me.text
    assert me.json() == {"user_id": str(user["id"])}
    assert graphql.status_code == 200, graphql.text
    assert graphql.json() == {"data": {"me": {"__typename": "Viewer", "userId": str(user["id"])}}}


def test_serve_no_migrate_serves_a_database_migrated_by_userql_migrate(tmp_path: Path) -> None:
    environment = server_environment()

    run_userql("migrate", cwd=tmp_path, env=environment)

    assert applied_revision(tmp_path / "userql.db") == head_revision()
    with (
        running_server("--no-migrate", cwd=tmp_path, env=environment) as server,
        server.client() as client,
    ):
        user = register_and_log_in(client)
        me = client.get("/me")
    assert me.status_code == 200, me.text
    assert me.json() == {"user_id": str(user["id"])}


def test_export_schema_prints_the_graphql_sdl(tmp_path: Path) -> None:
    printed = run_userql("export-schema", cwd=tmp_path, env=server_environment())

    assert (
        "union LoginResult = LoginSuccess | InvalidCredentials | TooManyAttempts | ValidationError"
        in printed.stdout
    )
    assert "type Query {" in printed.stdout
    assert not (tmp_path / "userql.db").exists(), "printing the schema touched a database"


@pytest.fixture(scope="module")
def two_workers_on_postgres(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`userql serve --workers 2` on a fresh PostgreSQL database it migrates itself."""
    with running_server(
        cwd=tmp_path_factory.mktemp("two-workers"),
        env=server_environment(database_url=postgres_url),
        workers=2,
    ) as server:
        yield server


def test_a_session_from_one_request_works_on_the_next_whichever_worker_answers(
    two_workers_on_postgres: Server,
) -> None:
    server = two_workers_on_postgres
    with server.client() as client:
        user = register_and_log_in(client)
    session = with_session(user["token"])

    answers: list[httpx.Response] = []
    for _ in range(12):
        # A new connection each time, so the kernel may hand it to either worker.
        with server.client() as client:
            answers.append(client.get("/me", headers=session))
            answers.append(client.post("/graphql", json={"query": ME_QUERY}, headers=session))

    for me, graphql in zip(answers[::2], answers[1::2], strict=True):
        assert me.status_code == 200, me.text
        assert me.json() == {"user_id": str(user["id"])}
        assert graphql.status_code == 200, graphql.text
        assert graphql.json()["data"]["me"] == {"__typename": "Viewer", "userId": str(user["id"])}


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose PostgreSQL port has nobody listening."""
    with running_server(
        "--no-migrate",
        cwd=tmp_path_factory.mktemp("no-database"),
        env=server_environment(database_url=UNREACHABLE_DATABASE),
    ) as server:
        yield server


def plausible_session() -> dict[str, str]:
    """A well-formed `sid` (43 URL-safe characters) that only the database could judge."""
    token = secrets.token_urlsafe(32)
    assert len(token) == 43
    return with_session(token)


def test_without_a_database_the_server_is_alive_but_not_ready(
    server_without_database: Server,
) -> None:
    with server_without_database.client() as client:
        live = client.get("/health/live")
        ready = client.get("/health/ready")

    assert live.status_code == 200, live.text
    assert ready.status_code == 503, ready.text
    assert "Retry-After" in ready.headers


def test_without_a_database_me_is_503_with_retry_after_within_seconds(
    server_without_database: Server,
) -> None:
    with server_without_database.client() as client:
        started = time.monotonic()
        me = client.get("/me", headers=plausible_session())
        elapsed = time.monotonic() - started

    assert me.status_code == 503, me.text
    assert me.json() == SERVICE_UNAVAILABLE
    assert int(me.headers["Retry-After"]) >= 1
    assert elapsed < 5.0


def test_without_a_database_login_is_503_not_500(server_without_database: Server) -> None:
    with server_without_database.client() as client:
        login = client.post("/auth/login", json={"email": "ivan@example.com", "password": PASSWORD})

    assert login.status_code == 503, login.text
    assert login.json() == SERVICE_UNAVAILABLE
    assert int(login.headers["Retry-After"]) >= 1


def test_without_a_database_graphql_answers_503_with_service_unavailable(
    server_without_database: Server,
) -> None:
    with server_without_database.client() as client:
        me = client.post("/graphql", json={"query": ME_QUERY}, headers=plausible_session())

    assert me.status_code == 503, me.text
    assert int(me.headers["Retry-After"]) >= 1
    codes = [error["extensions"]["code"] for error in me.json()["errors"]]
    assert codes == ["SERVICE_UNAVAILABLE"]


def test_a_local_client_cannot_pick_its_address_with_x_forwarded_for(
    tmp_path: Path,
) -> None:
    # uvicorn on its own believes X-Forwarded-For from 127.0.0.1; userql must not.
    env = server_environment(login_max_failures="2")
    with running_server(cwd=tmp_path, env=env) as server, server.client() as client:
        fields = registration()
        assert client.post("/users/register", json=fields).status_code == 201
        for address in ("198.51.100.1", "198.51.100.2"):
            guess = {"email": fields["email"], "password": "WrongPassword1"}
            response = client.post("/auth/login", json=guess, headers={"X-Forwarded-For": address})
            assert response.status_code == 401

        response = client.post(
            "/auth/login",
            json={"email": fields["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.3"},
        )

    assert response.status_code == 429
