"""What the browser tests do in a page: `fetch` as front-end code calls it, and the account
page at `/` as a person uses it (by its labels and roles, as a screen reader would)."""

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page, expect

# The memo's example account (its password differs per test: see each test).
MEMO_USER = {"email": "user@example.com", "username": "Ivan Petrov", "phone": "+79990001122"}

ME_QUERY = "{ me { __typename ... on Viewer { userId } } }"


@dataclass(frozen=True)
class Reply:
    """What a script in the page could read of an answer."""

    status: int
    body: Any


_FETCH_JSON = """async ([method, url, body]) => {
  const init = { method, credentials: 'include', headers: {} };
  if (body !== null) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}"""


def fetch_json(page: Page, method: str, url: str, body: Any = None) -> Reply:
    """`fetch(url, {method, credentials: 'include'})` from the page, with a JSON body if any."""
    reply = page.evaluate(_FETCH_JSON, [method, url, body])
    return Reply(status=reply["status"], body=reply["body"])


def graphql(page: Page, query: str, variables: dict[str, Any] | None = None) -> Reply:
    return fetch_json(page, "POST", "/graphql", {"query": query, "variables": variables})


def visible_cookies(page: Page) -> str:
    """`document.cookie`: the cookies a script in the page can see."""
    cookies: str = page.evaluate("document.cookie")
    return cookies


def sign_up_and_log_in(page: Page, password: str, **fields: str) -> int:
    """Registers an account (the memo's by default) and logs in, both with `fetch` from the
    page, which must be on the service's origin; returns the user id."""
    account = {**MEMO_USER, **fields, "password": password}
    registered = fetch_json(page, "POST", "/users/register", account)
    assert registered.status == 201, registered
    user_id: int = registered.body["id"]
    logged_in = fetch_json(
        page, "POST", "/auth/login", {"email": account["email"], "password": password}
    )
    assert logged_in == Reply(200, {"user_id": str(user_id)})
    return user_id


def expect_field_error(field: Locator, message: str | re.Pattern[str]) -> None:
    """The field is marked invalid and its error message (next to it) says `message`."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_error_message(message)
    expect(field).to_have_accessible_description(
        message if isinstance(message, re.Pattern) else re.compile(re.escape(message))
    )


def expect_field_ok(field: Locator) -> None:
    expect(field).not_to_have_attribute("aria-invalid", "true")


@dataclass(frozen=True)
class AccountPage:
    """The account page at `/`, by what a person sees on it."""

    page: Page

    def open(self) -> "AccountPage":
        self.page.goto("/")
        return self

    # -- regions --------------------------------------------------------------------------

    @property
    def status(self) -> Locator:
        return self.page.get_by_role("status")

    @property
    def register_form(self) -> Locator:
        return self.page.get_by_role("form", name="Create an account")

    @property
    def login_form(self) -> Locator:
        return self.page.get_by_role("form", name="Log in")

    @property
    def rename_form(self) -> Locator:
        return self.page.get_by_role("form", name="Change username")

    @property
    def password_form(self) -> Locator:
        return self.page.get_by_role("form", name="Change password")

    @property
    def logout_button(self) -> Locator:
        return self.page.get_by_role("button", name="Log out")

    def profile(self, term: str) -> Locator:
        """The value shown for `term` (Username, Email, Phone, User ID) in the profile."""
        entry = self.page.locator("dl > div").filter(
            has=self.page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(term)}$"))
        )
        return entry.get_by_role("definition")

    def register_field(self, label: str) -> Locator:
        return self.register_form.get_by_label(label, exact=True)

    def login_field(self, label: str) -> Locator:
        return self.login_form.get_by_label(label, exact=True)

    # -- actions --------------------------------------------------------------------------

    def register(self, *, email: str, phone: str, username: str, password: str) -> None:
        self.register_field("Email").fill(email)
        self.register_field("Phone").fill(phone)
        self.register_field("Username").fill(username)
        self.register_field("Password").fill(password)
        self.register_form.get_by_role("button", name="Create account").click()

    def log_in(self, email: str, password: str) -> None:
        self.login_field("Email").fill(email)
        self.login_field("Password").fill(password)
        self.login_form.get_by_role("button", name="Log in").click()

    def rename(self, username: str) -> None:
        self.rename_form.get_by_label("Username", exact=True).fill(username)
        self.rename_form.get_by_role("button", name="Save username").click()

    def change_password(self, old: str, new: str) -> None:
        self.password_form.get_by_label("Current password").fill(old)
        self.password_form.get_by_label("New password").fill(new)
        self.password_form.get_by_role("button", name="Change password").click()

    def expect_signed_in_as(self, username: str) -> None:
        expect(self.page.get_by_text("Signed in as")).to_have_text(f"Signed in as {username}")
        expect(self.profile("Username")).to_have_text(username)

    def expect_signed_out(self) -> None:
        expect(self.login_form).to_be_visible()
        expect(self.register_form).to_be_visible()
        expect(self.logout_button).to_be_hidden()
