"""The session cookie `sid` in a real browser: scripts never see it, yet the browser sends
it with every request of the page, REST and GraphQL alike."""

import pytest
from playwright.sync_api import BrowserContext, Page

from browser.pages import (
    ME_QUERY,
    MEMO_USER,
    AccountPage,
    Reply,
    fetch_json,
    graphql,
    sign_up_and_log_in,
    visible_cookies,
)

pytestmark = pytest.mark.e2e

GRAPHQL_LOGIN = """mutation($input: LoginInput!) {
  login(input: $input) { __typename ... on LoginSuccess { user { id } } }
}"""


def test_sid_is_httponly_so_document_cookie_never_shows_it_yet_it_is_sent(
    page: Page, context: BrowserContext
) -> None:
    page.goto("/")
    assert "sid" not in visible_cookies(page)

    user_id = sign_up_and_log_in(page, password="OldPlain")

    assert "sid" not in visible_cookies(page)
    [sid] = [cookie for cookie in context.cookies() if cookie["name"] == "sid"]
    assert sid["httpOnly"] is True
    assert sid["sameSite"] == "Lax"
    assert sid["path"] == "/"
    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": str(user_id)})

    page.reload()  # a new page load sends it too: the account page opens signed in
    AccountPage(page).expect_signed_in_as(MEMO_USER["username"])
    assert "sid" not in visible_cookies(page)


def test_a_script_cannot_overwrite_or_delete_the_httponly_cookie(page: Page) -> None:
    page.goto("/")
    user_id = sign_up_and_log_in(page, password="OldPlain")

    page.evaluate("document.cookie = 'sid=forged; path=/'")
    page.evaluate("document.cookie = 'sid=; path=/; max-age=0'")

    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": str(user_id)})


def test_logout_removes_the_cookie_from_the_browser(page: Page, context: BrowserContext) -> None:
    page.goto("/")
    sign_up_and_log_in(page, password="OldPlain")

    assert fetch_json(page, "POST", "/auth/logout") == Reply(200, {"ok": True})

    assert [cookie for cookie in context.cookies() if cookie["name"] == "sid"] == []
    assert fetch_json(page, "GET", "/me").status == 401


def test_graphql_over_fetch_is_authenticated_by_the_same_cookie(page: Page) -> None:
    page.goto("/")
    assert graphql(page, ME_QUERY) == Reply(200, {"data": {"me": {"__typename": "Unauthorized"}}})

    user_id = sign_up_and_log_in(page, password="OldPlain")  # a REST login

    assert graphql(page, ME_QUERY) == Reply(
        200, {"data": {"me": {"__typename": "Viewer", "userId": str(user_id)}}}
    )


def test_a_graphql_login_sets_the_cookie_that_rest_routes_read(page: Page) -> None:
    page.goto("/")
    registered = fetch_json(page, "POST", "/users/register", {**MEMO_USER, "password": "OldPlain"})
    assert registered.status == 201

    logged_in = graphql(
        page,
        GRAPHQL_LOGIN,
        {"input": {"email": MEMO_USER["email"], "password": "OldPlain"}},
    )

    user_id = str(registered.body["id"])
    assert logged_in == Reply(
        200, {"data": {"login": {"__typename": "LoginSuccess", "user": {"id": user_id}}}}
    )
    assert "sid" not in visible_cookies(page)
    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": user_id})
