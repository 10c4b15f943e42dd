"""Contract section 5, route by route, against the OpenAPI document the code publishes."""

from typing import Any

import pytest

from userql.app import create_app
from userql.settings import Settings

# (method, path, request fields, success status, success fields, error statuses)
ROUTES = [
    ("post", "/users/register", {"email", "password", "phone", "username"}, "201",
     {"id", "email", "username", "phone"}, {"409", "422"}),
    ("post", "/auth/login", {"email", "password"}, "200", {"user_id"}, {"401", "422", "429"}),
    ("post", "/auth/logout", None, "200", {"ok"}, set()),
    ("get", "/me", None, "200", {"user_id"}, {"401"}),
    ("get", "/me/profile", None, "200", {"id", "email", "username", "phone"}, {"401", "404"}),
    ("patch", "/me/profile", {"username"}, "200", {"id", "email", "username", "phone"},
     {"401", "404", "422"}),
    ("post", "/me/password", {"old_password", "new_password"}, "200", {"ok"},
     {"401", "403", "400", "404", "422"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("openapi") / "unused.db"
    document: dict[str, Any] = create_app(
        Settings(database_url=f"sqlite+aiosqlite:///{path}")
    ).openapi()
    return document


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        resolved: dict[str, Any] = document["components"]["schemas"][name]
        return resolved
    return schema


@pytest.mark.parametrize(
    ("method", "path", "request_fields", "status", "success_fields", "errors"),
    ROUTES,
    ids=[f"{method.upper()} {path}" for method, path, *_ in ROUTES],
)
def test_each_route_documents_the_contract(
    openapi: dict[str, Any],
    method: str,
    path: str,
    request_fields: set[str] | None,
    status: str,
    success_fields: set[str],
    errors: set[str],
) -> None:
    assert path in openapi["paths"], f"{path} is missing from the REST routes"
    operation = openapi["paths"][path].get(method)
    assert operation is not None, f"{method.upper()} {path} is missing"

    if request_fields is None:
        assert "requestBody" not in operation
    else:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert set(body["properties"]) == request_fields
        assert set(body["required"]) == request_fields
        assert body["additionalProperties"] is False

    success = operation["responses"].get(status)
    assert success is not None, f"{method.upper()} {path} must answer {status}"
    schema = resolve(openapi, success["content"]["application/json"]["schema"])
    assert set(schema["properties"]) == success_fields

    documented = set(operation["responses"])
    assert errors <= documented, f"undocumented statuses: {errors - documented}"


def test_there_is_no_route_that_updates_a_user_by_id(openapi: dict[str, Any]) -> None:
    assert not [path for path in openapi["paths"] if path.startswith("/users/{")]


def test_ids_are_integers_in_profiles_and_strings_in_user_id(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]

    assert schemas["ProfileOut"]["properties"]["id"]["type"] == "integer"
    assert schemas["UserIdOut"]["properties"]["user_id"]["type"] == "string"
