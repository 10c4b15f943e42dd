"""Both transports, spoken the way their clients speak them."""

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from harness import unique_email, unique_phone

PASSWORD = "PlainTextPassword"

USER_FIELDS = "id email username phone"
ERROR_FIELDS = "__typename ... on Error { message }"
VALIDATION = "... on ValidationError { fields { field message } }"
THROTTLED = "... on TooManyAttempts { retryAfterSeconds }"

OPERATIONS = {
    "register": f"""mutation($input: RegisterInput!) {{ register(input: $input) {{
        ... on User {{ __typename {USER_FIELDS} }} {ERROR_FIELDS} {VALIDATION} }} }}""",
    "login": f"""mutation($input: LoginInput!) {{ login(input: $input) {{
        ... on LoginSuccess {{ __typename user {{ {USER_FIELDS} }} }}
        {ERROR_FIELDS} {VALIDATION} {THROTTLED} }} }}""",
    "logout": "mutation { logout { __typename ok } }",
    "me": f"query {{ me {{ ... on Viewer {{ __typename userId }} {ERROR_FIELDS} }} }}",
    "profile": f"""query {{ profile {{
        ... on User {{ __typename {USER_FIELDS} }} {ERROR_FIELDS} }} }}""",
    "updateUsername": f"""mutation($input: UpdateUsernameInput!) {{ updateUsername(input: $input) {{
        ... on User {{ __typename {USER_FIELDS} }} {ERROR_FIELDS} {VALIDATION} }} }}""",
    "changePassword": f"""mutation($input: ChangePasswordInput!) {{ changePassword(input: $input) {{
        ... on PasswordChanged {{ __typename ok }} {ERROR_FIELDS} {VALIDATION} }} }}""",
}


def registration(**overrides: str) -> dict[str, str]:
    return {
        "email": unique_email(),
        "password": PASSWORD,
        "phone": unique_phone(),
        "username": "Ivan Petrov",
        **overrides,
    }


@dataclass
class GraphQL:
    client: httpx.AsyncClient

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )

    async def run(self, operation: str, **input_fields: Any) -> dict[str, Any]:
        """The operation's result object (a union member), asserting no top-level errors."""
        variables = {"input": input_fields} if input_fields else None
        response = await self.post(OPERATIONS[operation], variables)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert "errors" not in payload, payload
        result: dict[str, Any] = payload["data"][operation]
        return result


@dataclass
class Rest:
    client: httpx.AsyncClient

    async def register(self, **fields: str) -> httpx.Response:
        return await self.client.post("/users/register", json=fields)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.client.post("/auth/login", json={"email": email, "password": password})

    async def logout(self) -> httpx.Response:
        return await self.client.post("/auth/logout")

    async def me(self) -> httpx.Response:
        return await self.client.get("/me")

    async def profile(self) -> httpx.Response:
        return await self.client.get("/me/profile")

    async def rename(self, username: Any) -> httpx.Response:
        return await self.client.patch("/me/profile", json={"username": username})

    async def change_password(self, old: Any, new: Any) -> httpx.Response:
        return await self.client.post(
            "/me/password", json={"old_password": old, "new_password": new}
        )


async def signed_up(client: httpx.AsyncClient, **overrides: str) -> dict[str, Any]:
    """Registers over REST; returns the registration fields plus the new `id`."""
    fields = registration(**overrides)
    response = await Rest(client).register(**fields)
    assert response.status_code == 201, response.text
    return {**fields, "id": response.json()["id"]}


async def signed_in(client: httpx.AsyncClient, **overrides: str) -> dict[str, Any]:
    """Registers and logs in over REST; the client now holds cookie `sid`."""
    user = await signed_up(client, **overrides)
    response = await Rest(client).login(user["email"], user["password"])
    assert response.status_code == 200, response.text
    return user


async def sql(database_url: str, statement: str, **params: Any) -> list[Any]:
    """What an operator would do to the database behind the service's back."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


def session_token(client: httpx.AsyncClient) -> str:
    token = client.cookies.get("sid")
    assert token, "the client holds no sid cookie"
    return token
