"""The memo's routes with the memo's bodies, statuses and cookie."""

import re

import httpx

from drivers import PASSWORD, Rest, session_token, signed_in, signed_up, sql
from harness import ClientFactory

MEMO_REGISTRATION = {
    "email": "user@example.com",
    "password": "PlainTextPassword",
    "phone": "+79990001122",
    "username": "Ivan Petrov",
}


async def test_register_answers_201_with_the_profile_and_sets_no_cookie(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/users/register", json=MEMO_REGISTRATION)

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "email": "user@example.com",
        "username": "Ivan Petrov",
        "phone": "+79990001122",
    }
    assert isinstance(body["id"], int)
    assert "set-cookie" not in response.headers


async def test_register_stores_normalised_email_and_phone(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/users/register",
        json={**MEMO_REGISTRATION, "email": "Ab.Cd@Example.COM", "phone": "+7 (999) 000-11-22"},
    )

    assert response.status_code == 201
    assert response.json()["email"] == "Ab.Cd@example.com"
    assert response.json()["phone"] == "+79990001122"


async def test_login_answers_the_user_id_as_a_string_and_sets_the_session_cookie(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_up(client)

    response = await Rest(client).login(user["email"].upper())

    assert response.status_code == 200
    assert response.json() == {"user_id": str(user["id"])}
    cookie = response.headers["set-cookie"]
    assert re.match(r"sid=[A-Za-z0-9_-]{43,};", cookie)
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["path"].strip() == "Path=/"
    assert attributes["samesite"].strip() == "SameSite=Lax"
    assert attributes["max-age"].strip() == "Max-Age=604800"
    assert "secure" not in attributes  # USERQL_COOKIE_SECURE=false in tests
    assert "domain" not in attributes


async def test_the_cookie_is_secure_by_default(make_client: ClientFactory) -> None:
    client = make_client(cookie_secure=True)
    user = await signed_up(client)

    response = await Rest(client).login(user["email"])

    assert "; Secure" in response.headers["set-cookie"]


async def test_every_login_issues_a_fresh_token_and_sessions_coexist(
    make_client: ClientFactory,
) -> None:
    first, second = make_client(), make_client()
    user = await signed_in(first)
    old_token = session_token(first)
    second.cookies.set("sid", old_token)

    response = await Rest(second).login(user["email"])

    new_token = response.cookies["sid"]
    assert new_token != old_token
    assert (await Rest(first).me()).status_code == 200
    second.cookies.set("sid", new_token)
    assert (await Rest(second).me()).status_code == 200


async def test_a_failed_login_sets_no_cookie(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    response = await Rest(client).login(user["email"], "WrongPassword1")

    assert response.status_code == 401
    assert "set-cookie" not in response.headers


async def test_me_answers_the_user_id_as_a_string(client: httpx.AsyncClient) -> None:
    user = await signed_in(client)

    response = await Rest(client).me()

    assert response.status_code == 200
    assert response.json() == {"user_id": str(user["id"])}


async def test_patch_profile_changes_only_the_username(client: httpx.AsyncClient) -> None:
    user = await signed_in(client)

    response = await Rest(client).rename("  New Name  ")

    assert response.status_code == 200
    assert response.json() == {
        "id": user["id"],
        "email": user["email"],
        "username": "New Name",
        "phone": user["phone"],
    }
    assert (await Rest(client).profile()).json()["username"] == "New Name"


async def test_patch_profile_refuses_other_keys_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    user = await signed_in(client)

    response = await client.patch(
        "/me/profile", json={"username": "New Name", "email": "other@example.com"}
    )

    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "email"]]
    profile = (await Rest(client).profile()).json()
    assert profile["username"] == "Ivan Petrov"
    assert profile["email"] == user["email"]


async def test_patch_profile_with_an_empty_object_is_422(client: httpx.AsyncClient) -> None:
    await signed_in(client)

    response = await client.patch("/me/profile", json={})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "username"]


async def test_change_password_keeps_this_session_and_ends_the_others(
    make_client: ClientFactory,
) -> None:
    here, elsewhere = make_client(), make_client()
    user = await signed_in(here)
    assert (await Rest(elsewhere).login(user["email"])).status_code == 200

    response = await Rest(here).change_password(PASSWORD, "NewPlain")

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert (await Rest(here).me()).status_code == 200
    assert (await Rest(elsewhere).me()).status_code == 401
    assert (await Rest(elsewhere).login(user["email"], PASSWORD)).status_code == 401
    assert (await Rest(elsewhere).login(user["email"], "NewPlain")).status_code == 200


async def test_a_wrong_old_password_changes_nothing(make_client: ClientFactory) -> None:
    here, elsewhere = make_client(), make_client()
    user = await signed_in(here)
    assert (await Rest(elsewhere).login(user["email"])).status_code == 200

    response = await Rest(here).change_password("WrongOld1", "NewPlain")

    assert response.status_code == 403
    assert (await Rest(elsewhere).me()).status_code == 200
    assert (await Rest(elsewhere).login(user["email"], PASSWORD)).status_code == 200


async def test_logout_revokes_only_the_current_session_and_expires_the_cookie(
    make_client: ClientFactory,
) -> None:
    here, elsewhere = make_client(), make_client()
    user = await signed_in(here)
    assert (await Rest(elsewhere).login(user["email"])).status_code == 200
    token = session_token(here)

    response = await Rest(here).logout()

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("sid=")
    assert "Max-Age=0" in cookie
    assert "Path=/" in cookie
    here.cookies.set("sid", token)
    assert (await Rest(here).me()).status_code == 401
    assert (await Rest(elsewhere).me()).status_code == 200


async def test_logout_without_a_session_still_answers_ok_and_expires_the_cookie(
    client: httpx.AsyncClient,
) -> None:
    response = await Rest(client).logout()

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert "Max-Age=0" in response.headers["set-cookie"]


async def test_the_database_never_holds_the_session_token(
    client: httpx.AsyncClient, clean_database: str
) -> None:
    await signed_in(client)
    token = session_token(client)

    rows = await sql(clean_database, "SELECT * FROM sessions")

    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0])


async def test_register_creates_no_session(client: httpx.AsyncClient, clean_database: str) -> None:
    await signed_up(client)

    assert await sql(clean_database, "SELECT id FROM sessions") == []


async def test_there_is_no_route_that_updates_a_user_by_id(client: httpx.AsyncClient) -> None:
    user = await signed_up(client)

    for method in ("PATCH", "PUT", "POST"):
        response = await client.request(method, f"/users/{user['id']}", json={"username": "Hacked"})
        assert response.status_code in {404, 405}
        assert set(response.json()) == {"detail", "code"}
