"""The data rules of contract sections 2 and 8, as a specification.

Each rule takes what a client sent and answers either the stored form or `Invalid`.
The tables below are the rules: one row per promise the contract makes.
"""

from collections.abc import Callable
from typing import TypeVar

import pytest

from userql.resolvers.results import FieldError, ValidationError
from userql.resolvers.rules import (
    Email,
    FieldChecks,
    Invalid,
    check_new_password,
    check_presented_password,
    check_username,
    common_passwords,
    normalise_email,
    normalise_phone,
)

T = TypeVar("T")

LONE_SURROGATE = "\ud800"


def accepted(outcome: T | Invalid) -> T:
    assert not isinstance(outcome, Invalid), f"rejected: {outcome}"
    return outcome


def email_of_length(total: int) -> str:
    """A syntactically valid address: 64-character local part, labels of at most 63."""
    local = "a" * 64
    fixed = len(local) + len("@") + 63 + len(".") + 63 + len(".") + len(".com")
    domain = f"{'b' * 63}.{'c' * 63}.{'d' * (total - fixed)}.com"
    address = f"{local}@{domain}"
    assert len(address) == total
    return address


# --- email ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        pytest.param("user@example.com", "user@example.com", id="the memo's address"),
        pytest.param("Ab.Cd@Example.COM", "Ab.Cd@example.com", id="domain lower-cased"),
        pytest.param("User@EXAMPLE.com", "User@example.com", id="local part case kept"),
        pytest.param(
            "Ivan.Petrov+news@Mail.Example.ORG",
            "Ivan.Petrov+news@mail.example.org",
            id="subdomains and plus tags",
        ),
        pytest.param("x@BÜCHER.example", "x@bücher.example", id="Unicode domain IDNA-mapped"),
        pytest.param("e\u0301@example.com", "\u00e9@example.com", id="local part NFC"),
        pytest.param("Иван@example.com", "Иван@example.com", id="Unicode local part kept"),
    ],
)
def test_an_email_is_stored_with_its_domain_lower_cased_and_local_part_as_sent(
    sent: str, stored: str
) -> None:
    assert accepted(normalise_email(sent)).address == stored


@pytest.mark.parametrize(
    ("one", "other"),
    [
        pytest.param("User@Example.com", "user@example.com", id="the contract's example"),
        pytest.param("Ab.Cd@Example.COM", "ab.cd@example.com", id="local part case"),
        pytest.param("ÉMILE@example.com", "émile@example.com", id="non-ASCII case"),
        pytest.param("x@xn--bcher-kva.example", "x@BÜCHER.example", id="IDNA spellings"),
    ],
)
def test_email_addresses_differing_only_in_case_share_one_key(one: str, other: str) -> None:
    assert accepted(normalise_email(one)).key == accepted(normalise_email(other)).key


def test_different_email_addresses_have_different_keys() -> None:
    first = accepted(normalise_email("user@example.com"))
    second = accepted(normalise_email("user2@example.com"))
    assert first.key != second.key


def test_an_email_key_is_the_stored_address_without_case() -> None:
    email = accepted(normalise_email("Ab.Cd@Example.COM"))
    assert email == Email(address="Ab.Cd@example.com", key="ab.cd@example.com")


@pytest.mark.parametrize("length", [253, 254])
def test_an_email_of_up_to_254_characters_is_accepted(length: int) -> None:
    address = email_of_length(length)
    assert accepted(normalise_email(address)).address == address


def test_an_email_of_255_characters_is_rejected() -> None:
    assert isinstance(normalise_email(email_of_length(255)), Invalid)


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("not-an-email", id="no @"),
        pytest.param("", id="empty"),
        pytest.param("user@", id="no domain"),
        pytest.param("@example.com", id="no local part"),
        pytest.param("user@@example.com", id="two @"),
        pytest.param("user name@example.com", id="space in local part"),
        pytest.param("user@example", id="domain without a dot"),
        pytest.param(LONE_SURROGATE, id="lone surrogate"),
        pytest.param(f"user{LONE_SURROGATE}@example.com", id="surrogate inside"),
    ],
)
def test_an_email_that_is_not_valid_syntax_is_rejected(sent: str) -> None:
    assert isinstance(normalise_email(sent), Invalid)


# --- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        pytest.param("+79990001122", "+79990001122", id="the memo's number"),
        pytest.param("+7 999 000-11-22", "+79990001122", id="the contract's example"),
        pytest.param("+7 (999) 000-11-22", "+79990001122", id="parentheses"),
        pytest.param("+7(999)000-11-22", "+79990001122", id="no spaces"),
        pytest.param("+7-999-000-11-22", "+79990001122", id="dashes only"),
        pytest.param("+1 (650) 253-0000", "+16502530000", id="another country"),
        pytest.param("+44 20 7946 0958", "+442079460958", id="spaces only"),
    ],
)
def test_a_phone_is_stored_in_e164(sent: str, stored: str) -> None:
    assert accepted(normalise_phone(sent)) == stored


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("89123456789", id="national form"),
        pytest.param("8 (912) 345-67-89", id="national form with punctuation"),
        pytest.param("79990001122", id="international digits without +"),
        pytest.param("+7 000 000-00-00", id="not a valid number"),
        pytest.param("+7 999 000-11-2", id="too short"),
        pytest.param("+7 999 000-11-222", id="too long"),
        pytest.param("+123", id="country code only"),
        pytest.param("+", id="plus alone"),
        pytest.param("", id="empty"),
        pytest.param(LONE_SURROGATE, id="lone surrogate"),
        pytest.param(f"+7999{LONE_SURROGATE}0001122", id="surrogate inside"),
    ],
)
def test_a_phone_that_is_not_a_valid_international_number_is_rejected(sent: str) -> None:
    assert isinstance(normalise_phone(sent), Invalid)


def test_spellings_of_one_phone_number_are_stored_alike() -> None:
    spellings = ["+7 999 000-11-22", "+7 (999) 000 11 22", "+79990001122"]
    assert {accepted(normalise_phone(spelling)) for spelling in spellings} == {"+79990001122"}


# --- username ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        pytest.param("Ivan Petrov", "Ivan Petrov", id="the memo's name"),
        pytest.param("New Name", "New Name", id="the memo's new name"),
        pytest.param("  Ivan Petrov  ", "Ivan Petrov", id="stripped"),
        pytest.param("\tIvan Petrov\n", "Ivan Petrov", id="stripped of tabs and newlines"),
        pytest.param("e\u0301", "\u00e9", id="NFC"),
        pytest.param("a", "a", id="one code point"),
        pytest.param("a" * 64, "a" * 64, id="64 code points"),
        pytest.param(f"  {'a' * 64}  ", "a" * 64, id="64 after stripping"),
        pytest.param("e\u0301" * 64, "\u00e9" * 64, id="64 after NFC"),
        pytest.param("Иван Петров", "Иван Петров", id="Cyrillic"),
        pytest.param("😀 Ivan", "😀 Ivan", id="emoji"),
        pytest.param("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧", id="emoji joined by ZWJ"),
    ],
)
def test_a_username_is_stripped_and_nfc_normalised(sent: str, stored: str) -> None:
    assert accepted(check_username(sent)) == stored


def test_a_combining_sequence_counts_as_one_code_point_after_nfc() -> None:
    assert len(accepted(check_username("e\u0301"))) == 1


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces only"),
        pytest.param("\t\n", id="whitespace only"),
        pytest.param("a" * 65, id="65 code points"),
        pytest.param("\u00e9" * 65, id="65 composed code points"),
        pytest.param("e\u0301" * 65, id="65 after NFC"),
        pytest.param("a\x00b", id="NUL inside"),
        pytest.param("Ivan\nPetrov", id="newline inside"),
        pytest.param("Ivan\tPetrov", id="tab inside"),
        pytest.param("a\x7fb", id="DEL inside"),
        pytest.param("a\x1bb", id="ESC inside"),
        pytest.param("a\x85b", id="C1 control inside"),
        pytest.param(LONE_SURROGATE, id="lone surrogate"),
        pytest.param(f"Ivan{LONE_SURROGATE}", id="surrogate inside"),
    ],
)
def test_a_username_that_is_empty_too_long_or_holds_controls_is_rejected(sent: str) -> None:
    assert isinstance(check_username(sent), Invalid)


# --- new password --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("PlainTextPassword", id="memo: register"),
        pytest.param("OldPlain", id="memo: old password"),
        pytest.param("NewPlain", id="memo: new password"),
        pytest.param("k9#Lm2!q", id="8 code points"),
        pytest.param("😀" * 8, id="8 emoji"),
        pytest.param("😀" * 128, id="128 emoji"),
        pytest.param("e\u0301" * 4, id="8 code points as sent, 4 after NFC"),
        pytest.param("  pass word  ", id="spaces kept"),
        pytest.param("with\x00nul inside", id="NUL"),
        pytest.param("with\ttab inside", id="tab"),
        pytest.param("\n\n\n\n\n\n\n\n", id="only newlines"),
    ],
)
def test_a_new_password_of_8_to_128_code_points_is_kept_exactly_as_sent(sent: str) -> None:
    assert accepted(check_new_password(sent)) == sent


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("", id="empty"),
        pytest.param("k9#Lm2!", id="7 code points"),
        pytest.param("😀" * 7, id="7 emoji"),
        pytest.param("😀" * 129, id="129 emoji"),
        pytest.param("x" * 1000, id="1000 code points"),
        pytest.param(LONE_SURROGATE * 8, id="lone surrogates"),
        pytest.param(f"PlainText{LONE_SURROGATE}", id="surrogate inside"),
    ],
)
def test_a_new_password_outside_8_to_128_code_points_is_rejected(sent: str) -> None:
    assert isinstance(check_new_password(sent), Invalid)


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("password123", id="password123"),
        pytest.param("qwertyuiop", id="qwertyuiop"),
        pytest.param("12345678", id="12345678"),
        pytest.param("iloveyou", id="iloveyou"),
        pytest.param("Password123", id="capitalised"),
        pytest.param("PASSWORD123", id="upper case"),
        pytest.param("QwertyUIOP", id="mixed case"),
    ],
)
def test_a_common_password_is_rejected_whatever_its_case(sent: str) -> None:
    assert isinstance(check_new_password(sent), Invalid)


def test_the_common_password_list_holds_the_10000_most_common() -> None:
    listed = common_passwords()
    assert len(listed) == 10_000
    assert {"password123", "qwertyuiop", "12345678"} <= listed


# --- presented password (login, old password) -----------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("", id="empty"),
        pytest.param("a", id="one character"),
        pytest.param("short", id="shorter than a new password may be"),
        pytest.param("x" * 1000, id="longer than a new password may be"),
        pytest.param("password123", id="common"),
        pytest.param("  padded  ", id="spaces kept"),
        pytest.param("e\u0301", id="not normalised"),
        pytest.param("\x00", id="NUL"),
    ],
)
def test_a_presented_password_is_any_text_kept_as_sent(sent: str) -> None:
    assert accepted(check_presented_password(sent)) == sent


@pytest.mark.parametrize("sent", [LONE_SURROGATE, f"Old{LONE_SURROGATE}Plain", "\udfff"])
def test_a_presented_password_with_a_lone_surrogate_is_rejected(sent: str) -> None:
    assert isinstance(check_presented_password(sent), Invalid)


# --- every string field --------------------------------------------------------------------

RULES: list[Callable[[str], object]] = [
    normalise_email,
    normalise_phone,
    check_username,
    check_new_password,
    check_presented_password,
]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_every_rule_rejects_a_lone_surrogate_instead_of_failing(
    rule: Callable[[str], object],
) -> None:
    outcome = rule(LONE_SURROGATE)
    assert isinstance(outcome, Invalid)
    assert outcome.message


# --- collecting failures -------------------------------------------------------------------


def test_field_checks_report_every_failing_field_by_name_in_order() -> None:
    checks = FieldChecks()
    email = checks.take("email", normalise_email("not-an-email"))
    phone = checks.take("phone", normalise_phone("+7 999 000-11-22"))
    username = checks.take("username", check_username("   "))
    password = checks.take("password", check_new_password("short"))

    failure = checks.failure()

    assert isinstance(failure, ValidationError)
    assert [item.field for item in failure.fields] == ["email", "username", "password"]
    assert all(isinstance(item, FieldError) and item.message for item in failure.fields)
    assert (email, phone, username, password) == (None, "+79990001122", None, None)


def test_field_checks_keep_the_field_name_they_are_given() -> None:
    checks = FieldChecks()
    checks.take("new_password", check_new_password("NewPlai"))
    failure = checks.failure()
    assert failure is not None
    assert [item.field for item in failure.fields] == ["new_password"]


def test_field_checks_with_no_failures_report_none_and_pass_values_through() -> None:
    checks = FieldChecks()
    email = checks.take("email", normalise_email("User@Example.com"))
    phone = checks.take("phone", normalise_phone("+7 999 000-11-22"))
    username = checks.take("username", check_username(" Ivan Petrov "))
    password = checks.take("password", check_new_password("PlainTextPassword"))

    assert checks.failure() is None
    assert email == Email(address="User@example.com", key="user@example.com")
    assert (phone, username, password) == ("+79990001122", "Ivan Petrov", "PlainTextPassword")
