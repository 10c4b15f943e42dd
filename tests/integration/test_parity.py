"""One table of scenarios, run through both transports: REST answers the status and body
that contract section 4 pairs with the GraphQL `__typename`, in every scenario."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from drivers import PASSWORD, GraphQL, registration, session_token, signed_in, signed_up, sql
from harness import ClientFactory, Clock

STATUS = {
    "Unauthorized": 401,
    "InvalidCredentials": 401,
    "OldPasswordIncorrect": 403,
    "UserNotFound": 404,
    "EmailAlreadyExists": 409,
    "PhoneAlreadyExists": 409,
    "ValidationError": 422,
    "TooManyAttempts": 429,
    "InvalidPasswordFormat": 400,
}
DETAIL = {
    "Unauthorized": "Unauthorized",
    "InvalidCredentials": "Invalid credentials",
    "OldPasswordIncorrect": "Old password incorrect",
    "UserNotFound": "User not found",
    "EmailAlreadyExists": "Email already exists",
    "PhoneAlreadyExists": "Phone already exists",
    "TooManyAttempts": "Too many attempts",
    "InvalidPasswordFormat": "Invalid password format",
}
CODE = {
    "Unauthorized": "UNAUTHORIZED",
    "InvalidCredentials": "INVALID_CREDENTIALS",
    "OldPasswordIncorrect": "OLD_PASSWORD_INCORRECT",
    "UserNotFound": "USER_NOT_FOUND",
    "EmailAlreadyExists": "EMAIL_ALREADY_EXISTS",
    "PhoneAlreadyExists": "PHONE_ALREADY_EXISTS",
    "TooManyAttempts": "TOO_MANY_ATTEMPTS",
    "InvalidPasswordFormat": "INVALID_PASSWORD_FORMAT",
}
SUCCESS_STATUS = {"register": 201}
# GraphQL field -> (method, path, REST key for each GraphQL input key)
ROUTES: dict[str, tuple[str, str, dict[str, str]]] = {
    "register": ("POST", "/users/register", {}),
    "login": ("POST", "/auth/login", {}),
    "logout": ("POST", "/auth/logout", {}),
    "me": ("GET", "/me", {}),
    "profile": ("GET", "/me/profile", {}),
    "updateUsername": ("PATCH", "/me/profile", {}),
    "changePassword": (
        "POST",
        "/me/password",
        {"oldPassword": "old_password", "newPassword": "new_password"},
    ),
}


@dataclass
class World:
    client: httpx.AsyncClient
    database_url: str
    clock: Clock


Prepare = Callable[[World], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Scenario:
    name: str
    operation: str
    expected: str
    prepare: Prepare
    invalid_fields: tuple[str, ...] = ()
    """For ValidationError: the input fields named, as GraphQL spells them."""


async def nothing(_world: World) -> dict[str, Any]:
    return {}


async def fresh_registration(_world: World) -> dict[str, Any]:
    return registration()


async def email_taken(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    return registration(email=user["email"].upper().replace("EXAMPLE.COM", "Example.com"))


async def phone_taken(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    spaced = user["phone"][:2] + " " + user["phone"][2:5] + " " + user["phone"][5:]
    return registration(phone=spaced)


async def both_taken(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    return registration(email=user["email"], phone=user["phone"])


async def everything_invalid(_world: World) -> dict[str, Any]:
    return {"email": "not-an-email", "password": "short", "phone": "89123456789", "username": " "}


async def taken_email_invalid_phone(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    return registration(email=user["email"], phone="12345")


async def correct_login(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    return {"email": user["email"], "password": PASSWORD}


async def wrong_password(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    return {"email": user["email"], "password": "WrongPassword1"}


async def unknown_email(_world: World) -> dict[str, Any]:
    return {"email": "nobody@example.com", "password": PASSWORD}


async def malformed_email(_world: World) -> dict[str, Any]:
    return {"email": "not-an-email", "password": PASSWORD}


async def throttled(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    for _ in range(10):
        response = await world.client.post(
            "/auth/login", json={"email": user["email"], "password": "WrongPassword1"}
        )
        assert response.status_code == 401
    return {"email": user["email"], "password": PASSWORD}


async def corrupted_hash_login(world: World) -> dict[str, Any]:
    user = await signed_up(world.client)
    await sql(
        world.database_url,
        "UPDATE users SET password_hash = 'garbage' WHERE id = :id",
        id=user["id"],
    )
    return {"email": user["email"], "password": PASSWORD}


async def signed_in_user(world: World) -> dict[str, Any]:
    await signed_in(world.client)
    return {}


async def expired_session(world: World) -> dict[str, Any]:
    await signed_in(world.client)
    world.clock.advance(days=7, seconds=1)
    return {}


async def idle_session(world: World) -> dict[str, Any]:
    await signed_in(world.client)
    world.clock.advance(hours=24, seconds=1)
    return {}


async def revoked_session(world: World) -> dict[str, Any]:
    await signed_in(world.client)
    token = session_token(world.client)
    assert (await world.client.post("/auth/logout")).status_code == 200
    world.client.cookies.set("sid", token)
    return {}


async def garbage_cookie(world: World) -> dict[str, Any]:
    world.client.cookies.set("sid", "x" * 43)
    return {}


async def deleted_user(world: World) -> dict[str, Any]:
    user = await signed_in(world.client)
    await sql(world.database_url, "DELETE FROM users WHERE id = :id", id=user["id"])
    return {}


def signed_in_then(inputs: dict[str, Any]) -> Prepare:
    async def prepare(world: World) -> dict[str, Any]:
        await signed_in(world.client)
        return inputs

    return prepare


def without_session(inputs: dict[str, Any]) -> Prepare:
    async def prepare(_world: World) -> dict[str, Any]:
        return inputs

    return prepare


def deleted_user_then(inputs: dict[str, Any]) -> Prepare:
    async def prepare(world: World) -> dict[str, Any]:
        await deleted_user(world)
        return inputs

    return prepare


async def corrupted_hash_change(world: World) -> dict[str, Any]:
    user = await signed_in(world.client)
    await sql(
        world.database_url,
        "UPDATE users SET password_hash = '$argon2id$broken' WHERE id = :id",
        id=user["id"],
    )
    return {"oldPassword": PASSWORD, "newPassword": "NewPlain"}


RENAME = {"username": "New Name"}
CHANGE = {"oldPassword": PASSWORD, "newPassword": "NewPlain"}

SCENARIOS = [
    Scenario("register", "register", "User", fresh_registration),
    Scenario(
        "register: email taken in another case", "register", "EmailAlreadyExists", email_taken
    ),
    Scenario(
        "register: phone taken in another format", "register", "PhoneAlreadyExists", phone_taken
    ),
    Scenario("register: both taken reports email", "register", "EmailAlreadyExists", both_taken),
    Scenario(
        "register: every field invalid",
        "register",
        "ValidationError",
        everything_invalid,
        ("email", "password", "phone", "username"),
    ),
    Scenario(
        "register: validation before conflicts",
        "register",
        "ValidationError",
        taken_email_invalid_phone,
        ("phone",),
    ),
    Scenario("login", "login", "LoginSuccess", correct_login),
    Scenario("login: wrong password", "login", "InvalidCredentials", wrong_password),
    Scenario("login: unknown email", "login", "InvalidCredentials", unknown_email),
    Scenario("login: malformed email", "login", "ValidationError", malformed_email, ("email",)),
    Scenario("login: throttled", "login", "TooManyAttempts", throttled),
    Scenario("login: unreadable stored hash", "login", "InvalidCredentials", corrupted_hash_login),
    Scenario("logout", "logout", "LoggedOut", signed_in_user),
    Scenario("logout without a session", "logout", "LoggedOut", nothing),
    Scenario("me", "me", "Viewer", signed_in_user),
    Scenario("me: no session", "me", "Unauthorized", nothing),
    Scenario("me: garbage cookie", "me", "Unauthorized", garbage_cookie),
    Scenario("me: past absolute lifetime", "me", "Unauthorized", expired_session),
    Scenario("me: idle too long", "me", "Unauthorized", idle_session),
    Scenario("me: revoked by logout", "me", "Unauthorized", revoked_session),
    Scenario("me: user deleted (me needs only a session)", "me", "Viewer", deleted_user),
    Scenario("profile", "profile", "User", signed_in_user),
    Scenario("profile: no session", "profile", "Unauthorized", nothing),
    Scenario("profile: expired session", "profile", "Unauthorized", expired_session),
    Scenario("profile: user deleted", "profile", "UserNotFound", deleted_user),
    Scenario("rename", "updateUsername", "User", signed_in_then(RENAME)),
    Scenario("rename: no session", "updateUsername", "Unauthorized", without_session(RENAME)),
    Scenario("rename: user deleted", "updateUsername", "UserNotFound", deleted_user_then(RENAME)),
    Scenario(
        "rename: blank",
        "updateUsername",
        "ValidationError",
        signed_in_then({"username": "   "}),
        ("username",),
    ),
    Scenario("change password", "changePassword", "PasswordChanged", signed_in_then(CHANGE)),
    Scenario(
        "change password: no session", "changePassword", "Unauthorized", without_session(CHANGE)
    ),
    Scenario(
        "change password: wrong old",
        "changePassword",
        "OldPasswordIncorrect",
        signed_in_then({"oldPassword": "WrongOld1", "newPassword": "NewPlain"}),
    ),
    Scenario(
        "change password: unreadable stored hash",
        "changePassword",
        "InvalidPasswordFormat",
        corrupted_hash_change,
    ),
    Scenario(
        "change password: user deleted",
        "changePassword",
        "UserNotFound",
        deleted_user_then(CHANGE),
    ),
    Scenario(
        "change password: new too short, checked before the old one",
        "changePassword",
        "ValidationError",
        signed_in_then({"oldPassword": "WrongOld1", "newPassword": "short"}),
        ("newPassword",),
    ),
]


async def through_rest(
    client: httpx.AsyncClient, scenario: Scenario, inputs: dict[str, Any]
) -> None:
    method, path, renames = ROUTES[scenario.operation]
    body = {renames.get(key, key): value for key, value in inputs.items()}
    response = await client.request(method, path, json=body if method != "GET" and body else None)
    expected = scenario.expected
    if expected in STATUS:
        assert response.status_code == STATUS[expected], response.text
        if expected == "ValidationError":
            locs = {tuple(item["loc"]) for item in response.json()["detail"]}
            assert locs == {("body", renames_back(field)) for field in scenario.invalid_fields}
            assert all(set(item) == {"loc", "msg", "type"} for item in response.json()["detail"])
        else:
            body = {"detail": DETAIL[expected], "code": CODE[expected]}
            if expected == "EmailAlreadyExists":
                body["field"] = "email"
            if expected == "PhoneAlreadyExists":
                body["field"] = "phone"
            assert response.json() == body
        if expected == "TooManyAttempts":
            assert 1 <= int(response.headers["retry-after"]) <= 900
        assert "set-cookie" not in response.headers or scenario.operation == "logout"
        return
    assert response.status_code == SUCCESS_STATUS.get(scenario.operation, 200), response.text
    payload = response.json()
    if expected in {"User"}:
        assert set(payload) == {"id", "email", "username", "phone"}
        assert isinstance(payload["id"], int)
    elif expected in {"Viewer", "LoginSuccess"}:
        assert set(payload) == {"user_id"}
        assert payload["user_id"].isdigit()
    else:
        assert payload == {"ok": True}


def renames_back(graphql_field: str) -> str:
    return {"oldPassword": "old_password", "newPassword": "new_password"}.get(
        graphql_field, graphql_field
    )


async def through_graphql(
    client: httpx.AsyncClient, scenario: Scenario, inputs: dict[str, Any]
) -> None:
    result = await GraphQL(client).run(scenario.operation, **inputs)
    assert result["__typename"] == scenario.expected, result
    if scenario.expected in DETAIL:
        assert result["message"] == DETAIL[scenario.expected]
    if scenario.expected == "ValidationError":
        assert result["message"]
        assert {item["field"] for item in result["fields"]} == set(scenario.invalid_fields)
    if scenario.expected == "TooManyAttempts":
        assert 1 <= result["retryAfterSeconds"] <= 900


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_both_transports_agree(
    scenario: Scenario, make_client: ClientFactory, clean_database: str, clock: Clock
) -> None:
    rest_client, graphql_client = make_client(), make_client()
    rest_inputs = await scenario.prepare(World(rest_client, clean_database, clock))
    await through_rest(rest_client, scenario, rest_inputs)
    graphql_inputs = await scenario.prepare(World(graphql_client, clean_database, clock))
    await through_graphql(graphql_client, scenario, graphql_inputs)


def test_every_member_of_every_result_union_has_a_scenario() -> None:
    from graphql import GraphQLNonNull, GraphQLUnionType

    from userql.schema import build_schema
    from userql.settings import Settings

    schema = build_schema(Settings())._schema
    root_fields = {**schema.query_type.fields, **schema.mutation_type.fields}  # type: ignore[union-attr]
    required = set()
    for name, field in root_fields.items():
        result = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        members = result.types if isinstance(result, GraphQLUnionType) else [result]
        required |= {(name, member.name) for member in members}
    covered = {(scenario.operation, scenario.expected) for scenario in SCENARIOS}
    assert required - covered == set(), "add a parity scenario for each of these"
