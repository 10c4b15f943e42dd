"""What the fuzzing tests share: the served documents, the fuzzer's account, a bystander.

Every request here goes through schemathesis' in-process ASGI client, so it runs on the
one event loop that also serves the fuzzed calls: the app's database engine and its
connection pool never meet a second loop.
"""

import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case, Response
from schemathesis.python.asgi import ASGIClient, get_client

from drivers import PASSWORD, registration
from harness import CHEAP_ARGON2
from userql.app import create_app
from userql.settings import Settings

# Examples per operation (schemathesis adds the schema's examples and its coverage cases):
# both schemas on both backends in about half a minute, for CI. A deeper run sets
# USERQL_TEST_FUZZ_EXAMPLES (1000 takes about five minutes).
MAX_EXAMPLES = int(os.environ.get("USERQL_TEST_FUZZ_EXAMPLES", "50"))

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,  # a call is a few database writes; their time varies with the disk
    database=None,  # no .hypothesis directory in the working tree
    # The app, the fuzzer and the bystander are meant to live through the whole run of
    # an operation, not to be set up again for every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

SESSION_COOKIE = "sid"
# The schema's example `old_password` (`NewPlain` is the example `new_password`), so that
# the requests schemathesis builds from the examples change the fuzzer's password for real.
FUZZER_PASSWORD = "OldPlain"


@cache
def documents_app() -> FastAPI:
    """An app that only serves its documents (/openapi.json, GraphQL introspection) to
    schemathesis at collection time; serving them touches no database. The fuzzed calls go
    to the `fuzz_app` fixture, one per database backend.

    (Loading the schema from that fixture, `schemathesis.pytest.from_fixture`, fails on
    pytest 9.2 with schemathesis 4.32: it reads `Node._nodeid`, which pytest removed.)"""
    never_opened = Path(tempfile.gettempdir()) / "userql-fuzz-documents-only.db"
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{never_opened}",
        "cookie_secure": False,
        **CHEAP_ARGON2,
    }
    return create_app(Settings(**values))


def _client(app: FastAPI) -> ASGIClient:
    # schemathesis types an ASGI app with plain dicts where Starlette has mutable mappings.
    return get_client(cast(Any, app))


def _post(app: FastAPI, path: str, body: dict[str, str]) -> Any:
    with _client(app) as client:
        return client.post(path, json=body)


def _get(app: FastAPI, path: str, token: str) -> Any:
    with _client(app) as client:
        return client.get(path, cookies={SESSION_COOKIE: token})


def _register(app: FastAPI, password: str) -> dict[str, Any]:
    fields = registration(password=password)
    response = _post(app, "/users/register", fields)
    assert response.status_code == 201, response.text
    return {**fields, "id": response.json()["id"]}


def _log_in(app: FastAPI, email: str, password: str) -> str | None:
    """The new session token, or None when the login is refused."""
    response = _post(app, "/auth/login", {"email": email, "password": password})
    if response.status_code != 200:
        return None
    token = response.cookies.get(SESSION_COOKIE)
    assert token, response.headers
    return str(token)


@dataclass
class Fuzzer:
    """The user the fuzzer acts as; its session is valid before every call.

    After a logout it logs in again. A password change keeps the session that made it,
    so the fuzzer only learns the new password (REST sends it as JSON); when it cannot
    know it (GraphQL inlines arguments in the document) and must log in again, it goes on
    as a new account of its own."""

    app: FastAPI
    user_id: str = ""
    email: str = ""
    password: str = FUZZER_PASSWORD
    token: str = ""

    def start(self) -> None:
        self._new_account()

    def cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.token}

    def after_rest_call(self, case: Case[Any], response: Response) -> None:
        if case.path == "/auth/logout":
            self._log_in_again()
        elif case.path == "/me/password" and response.status_code == 200:
            assert isinstance(case.body, dict)
            new_password = case.body["new_password"]
            assert isinstance(new_password, str)
            self.password = new_password

    def after_graphql_call(self, case: Case[Any]) -> None:
        if case.operation.label == "Mutation.logout":
            self._log_in_again()

    def assert_still_logged_in(self) -> None:
        """No call but a logout ends the fuzzer's session or puts another user in it."""
        response = _get(self.app, "/me", self.token)
        assert response.status_code == 200, f"the fuzzer's session ended: {response.text}"
        assert response.json() == {"user_id": self.user_id}, response.text

    def _log_in_again(self) -> None:
        token = _log_in(self.app, self.email, self.password)
        if token is None:
            self._new_account()
        else:
            self.token = token

    def _new_account(self) -> None:
        self.password = FUZZER_PASSWORD
        user = _register(self.app, self.password)
        self.user_id, self.email = str(user["id"]), user["email"]
        token = _log_in(self.app, self.email, self.password)
        assert token is not None
        self.token = token


@dataclass
class Bystander:
    """A user created before the run, whose account no fuzzed call may touch."""

    app: FastAPI
    user: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    token: str = ""

    def start(self) -> None:
        self.user = _register(self.app, PASSWORD)
        token = _log_in(self.app, self.user["email"], PASSWORD)
        assert token is not None
        self.token = token
        response = _get(self.app, "/me/profile", token)
        assert response.status_code == 200, response.text
        self.profile = response.json()

    def assert_profile_unchanged(self) -> None:
        """Its session still reads the same profile (cheap enough for every call)."""
        response = _get(self.app, "/me/profile", self.token)
        assert response.status_code == 200, f"the bystander's session: {response.text}"
        assert response.json() == self.profile, "the bystander's profile changed"

    def assert_unchanged(self) -> None:
        """The same profile, and its password still logs it in (a login costs a hash and
        a few writes, so this runs once, after the run)."""
        self.assert_profile_unchanged()
        assert _log_in(self.app, self.user["email"], PASSWORD), "the bystander cannot log in"
