"""The memo's four `fetch` examples ("Быстрые примеры"), run verbatim in a page served by
userql, each in the state it expects, answer with the memo's statuses and bodies.

The snippets below are copied from the memo character for character. The only wrapper
is a local `fetch` that hands each call to the page's own `fetch` and keeps the Response,
so that the test can read the status and JSON the snippet's caller would get.
"""

import pytest
from playwright.sync_api import Page

from browser.pages import MEMO_USER, Reply, fetch_json, sign_up_and_log_in

pytestmark = pytest.mark.e2e

PROFILE_EXAMPLE = """\
// Comments: requires HttpOnly sid cookie to be sent automatically by browser
await fetch('/me/profile', { method: 'GET', credentials: 'include' });
"""

RENAME_EXAMPLE = """\
await fetch('/me/profile', {
  method: 'PATCH',
  headers: { 'Content-Type': 'application/json' },
  credentials: 'include',
  body: JSON.stringify({ username: 'New Name' }),
});
"""

PASSWORD_EXAMPLE = """\
await fetch('/me/password', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  credentials: 'include',
  body: JSON.stringify({ old_password: 'OldPlain', new_password: 'NewPlain' }),
});
"""

REGISTER_EXAMPLE = """\
await fetch('/users/register', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    email: 'user@example.com',
    password: 'PlainTextPassword',
    phone: '+79990001122',
    username: 'Ivan Petrov',
  }),
});
"""

_RUN_VERBATIM = """async () => {
  const responses = [];
  const fetch = (...args) => {
    const response = window.fetch(...args);
    responses.push(response);
    return response;
  };
/* the memo's snippet */
  if (responses.length !== 1) throw new Error(`the snippet made ${responses.length} requests`);
  const response = await responses[0];
  return { status: response.status, body: await response.json() };
}"""


def run_memo_example(page: Page, snippet: str) -> Reply:
    """Runs `snippet` unchanged in the page; the answer to its one `fetch`."""
    reply = page.evaluate(_RUN_VERBATIM.replace("/* the memo's snippet */", snippet))
    return Reply(status=reply["status"], body=reply["body"])


@pytest.fixture
def signed_in_memo_user(page: Page) -> int:
    """The memo's user, whose password is `OldPlain`, logged in with `fetch` from the page."""
    page.goto("/")
    return sign_up_and_log_in(page, password="OldPlain")


def test_register_example_creates_the_memo_user_while_email_and_phone_are_free(
    page: Page,
) -> None:
    page.goto("/")

    reply = run_memo_example(page, REGISTER_EXAMPLE)

    assert reply.status == 201
    new_id = reply.body["id"]
    assert isinstance(new_id, int)
    assert reply.body == {"id": new_id, **MEMO_USER}
    logged_in = fetch_json(
        page,
        "POST",
        "/auth/login",
        {"email": "user@example.com", "password": "PlainTextPassword"},
    )
    assert logged_in == Reply(200, {"user_id": str(new_id)})


def test_profile_example_reads_the_signed_in_users_profile(
    page: Page, signed_in_memo_user: int
) -> None:
    reply = run_memo_example(page, PROFILE_EXAMPLE)

    assert reply == Reply(200, {"id": signed_in_memo_user, **MEMO_USER})


def test_rename_example_answers_the_profile_with_the_new_name(
    page: Page, signed_in_memo_user: int
) -> None:
    reply = run_memo_example(page, RENAME_EXAMPLE)

    renamed = {"id": signed_in_memo_user, **MEMO_USER, "username": "New Name"}
    assert reply == Reply(200, renamed)
    assert fetch_json(page, "GET", "/me/profile") == Reply(200, renamed)


def test_password_example_replaces_old_plain_with_new_plain(
    page: Page, signed_in_memo_user: int
) -> None:
    reply = run_memo_example(page, PASSWORD_EXAMPLE)

    assert reply == Reply(200, {"ok": True})
    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": str(signed_in_memo_user)})
    with_old = fetch_json(
        page, "POST", "/auth/login", {"email": "user@example.com", "password": "OldPlain"}
    )
    assert with_old.status == 401
    with_new = fetch_json(
        page, "POST", "/auth/login", {"email": "user@example.com", "password": "NewPlain"}
    )
    assert with_new == Reply(200, {"user_id": str(signed_in_memo_user)})
