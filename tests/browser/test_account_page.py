"""The account page at `/`, used as a newcomer uses it: register, log in, see and edit the
profile, change the password, log out; and every error the contract names shown where it
belongs (a field's error next to the field, everything else in the status area)."""

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from browser.conftest import Service
from browser.pages import (
    MEMO_USER,
    AccountPage,
    Reply,
    expect_field_error,
    expect_field_ok,
    fetch_json,
    sign_up_and_log_in,
)

pytestmark = pytest.mark.e2e

NEWCOMER = {
    "email": "newcomer@example.com",
    "phone": "+7 912 345-67-89",
    "username": "Ivan Petrov",
    "password": "OldPlain",
}


@pytest.fixture
def account(page: Page) -> AccountPage:
    return AccountPage(page).open()


@pytest.fixture
def signed_in(account: AccountPage) -> int:
    """The memo's user (password `OldPlain`), signed in; the page shows the profile."""
    user_id = sign_up_and_log_in(account.page, password="OldPlain")
    account.open()
    account.expect_signed_in_as(MEMO_USER["username"])
    return user_id


def test_a_newcomer_registers_logs_in_edits_the_profile_changes_the_password_and_logs_out(
    account: AccountPage,
) -> None:
    account.expect_signed_out()

    account.register(**NEWCOMER)
    expect(account.status).to_have_text(
        "Account created for newcomer@example.com. You can log in now."
    )
    expect(account.login_field("Email")).to_have_value("newcomer@example.com")

    account.log_in("newcomer@example.com", "OldPlain")
    account.expect_signed_in_as("Ivan Petrov")
    expect(account.profile("Email")).to_have_text("newcomer@example.com")
    expect(account.profile("Phone")).to_have_text("+79123456789")  # stored in E.164
    expect(account.profile("User ID")).to_have_text(re.compile(r"^\d+$"))

    account.rename("  Ivan the Newcomer ")
    expect(account.status).to_have_text("Username changed to Ivan the Newcomer.")
    account.expect_signed_in_as("Ivan the Newcomer")

    account.change_password("NotMyPassword", "NewPlain")
    old_field = account.password_form.get_by_label("Current password")
    expect_field_error(old_field, "Old password incorrect")
    expect(account.status).to_have_text("Old password incorrect")

    account.change_password("OldPlain", "short")
    new_field = account.password_form.get_by_label("New password")
    expect_field_error(new_field, re.compile("at least 8 characters"))
    expect_field_ok(old_field)

    account.change_password("OldPlain", "NewPlain")
    expect(account.status).to_have_text(
        "Password changed. Your other devices have been logged out."
    )
    expect_field_ok(new_field)
    expect_field_ok(old_field)
    expect(new_field).to_have_value("")

    account.logout_button.click()
    expect(account.status).to_have_text("You have been logged out.")
    account.expect_signed_out()
    assert fetch_json(account.page, "GET", "/me").status == 401

    account.log_in("newcomer@example.com", "NewPlain")
    account.expect_signed_in_as("Ivan the Newcomer")


@pytest.mark.parametrize(
    ("taken", "message", "other"),
    [
        ("Email", "Email already exists", "Phone"),
        ("Phone", "Phone already exists", "Email"),
    ],
)
def test_a_taken_email_or_phone_is_marked_on_its_field(
    account: AccountPage, taken: str, message: str, other: str
) -> None:
    first = fetch_json(account.page, "POST", "/users/register", NEWCOMER)
    assert first.status == 201
    second = {"Email": "someone.else@example.com", "Phone": "+7 912 000-00-00"}
    # The taken value in another spelling: uniqueness holds after normalisation.
    second[taken] = {"Email": "NewComer@Example.COM", "Phone": "+79123456789"}[taken]

    account.register(
        email=second["Email"], phone=second["Phone"], username="Ivan II", password="OldPlain2"
    )

    expect_field_error(account.register_field(taken), message)
    expect_field_ok(account.register_field(other))
    expect(account.status).to_have_text(message)
    expect(account.register_field(taken)).to_be_focused()


def test_an_invalid_registration_shows_each_field_error_next_to_its_field(
    account: AccountPage,
) -> None:
    invalid = {
        "email": "not-an-email",
        "phone": "89123456789",
        "username": "   ",
        "password": "short",
    }
    answer = fetch_json(account.page, "POST", "/users/register", invalid)
    assert answer.status == 422
    messages = {item["loc"][1]: item["msg"] for item in answer.body["detail"]}
    assert set(messages) == {"email", "phone", "username", "password"}

    account.register(**invalid)

    for name, label in [
        ("email", "Email"),
        ("phone", "Phone"),
        ("username", "Username"),
        ("password", "Password"),
    ]:
        expect_field_error(account.register_field(label), messages[name])
    expect(account.status).to_have_text("Please correct the marked fields.")
    expect(account.register_field("Email")).to_be_focused()

    account.register(**NEWCOMER)  # corrected: the marks go
    expect(account.status).to_have_text(re.compile("^Account created"))
    for label in ["Email", "Phone", "Username", "Password"]:
        expect_field_ok(account.register_field(label))


def test_a_wrong_password_at_login_says_invalid_credentials(account: AccountPage) -> None:
    assert fetch_json(account.page, "POST", "/users/register", NEWCOMER).status == 201

    account.log_in(NEWCOMER["email"], "WrongPassword")

    expect(account.status).to_have_text("Invalid credentials")
    account.expect_signed_out()


def test_a_malformed_email_at_login_is_marked_on_the_email_field(account: AccountPage) -> None:
    account.log_in("not-an-email", "whatever1")

    expect_field_error(account.login_field("Email"), re.compile("email", re.IGNORECASE))
    expect_field_ok(account.login_field("Password"))


def test_too_many_failed_logins_say_so_with_the_wait(account: AccountPage) -> None:
    for _ in range(10):  # USERQL_LOGIN_MAX_FAILURES
        failed = fetch_json(
            account.page, "POST", "/auth/login", {"email": "a@example.com", "password": "x" * 8}
        )
        assert failed.status == 401

    account.log_in("a@example.com", "x" * 8)

    expect(account.status).to_have_text(
        re.compile(r"^Too many attempts\. Try again in \d+ seconds\.$")
    )


def test_a_blank_username_is_refused_next_to_the_field_and_nothing_changes(
    account: AccountPage, signed_in: int
) -> None:
    account.rename("   ")

    field = account.rename_form.get_by_label("Username")
    expect_field_error(field, "Username must not be empty")
    account.expect_signed_in_as(MEMO_USER["username"])
    assert fetch_json(account.page, "GET", "/me/profile") == Reply(
        200, {"id": signed_in, **MEMO_USER}
    )


def test_the_signed_in_view_survives_a_reload(account: AccountPage, signed_in: int) -> None:
    account.page.reload()

    account.expect_signed_in_as(MEMO_USER["username"])
    expect(account.profile("User ID")).to_have_text(str(signed_in))


@pytest.mark.usefixtures("signed_in")
def test_an_ended_session_sends_the_user_back_to_the_login_form(account: AccountPage) -> None:
    fetch_json(account.page, "POST", "/auth/logout")  # e.g. logged out in another tab

    account.rename("New Name")

    expect(account.status).to_have_text(
        "Unauthorized: your session has ended. Please log in again."
    )
    account.expect_signed_out()


def test_an_account_deleted_by_an_operator_says_user_not_found(
    account: AccountPage, signed_in: int, service: Service
) -> None:
    service.operator("DELETE FROM users WHERE id = :id", id=signed_in)

    account.rename("New Name")

    expect(account.status).to_have_text("User not found")
    account.expect_signed_out()


def test_an_unreadable_stored_password_says_invalid_password_format(
    account: AccountPage, signed_in: int, service: Service
) -> None:
    service.operator("UPDATE users SET password_hash = 'garbage' WHERE id = :id", id=signed_in)

    account.change_password("OldPlain", "NewPlain")

    expect(account.status).to_have_text("Invalid password format")
    account.expect_signed_in_as(MEMO_USER["username"])


def test_markup_in_a_username_is_shown_as_text(account: AccountPage) -> None:
    dialogs: list[str] = []

    def note_and_dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    account.page.on("dialog", note_and_dismiss)
    markup = "<img src=x onerror=alert(1)>"
    sign_up_and_log_in(account.page, password="OldPlain", username=markup)

    account.open()

    account.expect_signed_in_as(markup)
    expect(account.page.locator("main img")).to_have_count(0)
    assert dialogs == []
