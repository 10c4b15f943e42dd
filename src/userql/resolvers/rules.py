"""The data rules of contract section 2, in the order the contract applies them.

Each rule takes what a client sent and returns the stored form or an `Invalid` saying why
not. `FieldChecks` runs several and reports every failing field in one ValidationError.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import email_validator
import phonenumbers

from userql.resolvers.results import FieldError, ValidationError

MAX_EMAIL_LENGTH = 254
USERNAME_LENGTH = (1, 64)
PASSWORD_LENGTH = (8, 128)
COMMON_PASSWORDS_CHECKED = 10_000

_PHONE_SHAPE = re.compile(r"\+[0-9 ()\-]{1,40}")
_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Invalid:
    message: str
    type: str = "value_error"


@dataclass(frozen=True, slots=True)
class Email:
    address: str
    """As stored and shown: domain lower-cased (IDNA-mapped), local part NFC."""
    key: str
    """What uniqueness and login compare: the whole address case-folded."""


def _unicode_problem(value: str) -> Invalid | None:
    if _SURROGATE.search(value):
        return Invalid("Value must be valid Unicode text (no lone surrogates)", "string_unicode")
    return None


def normalise_email(raw: str) -> Email | Invalid:
    if problem := _unicode_problem(raw):
        return problem
    if len(raw) > MAX_EMAIL_LENGTH:
        return Invalid(f"Email must be at most {MAX_EMAIL_LENGTH} characters", "string_too_long")
    try:
        valid = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        return Invalid(f"Value is not a valid email address: {error}")
    address = valid.normalized
    if len(address) > MAX_EMAIL_LENGTH:
        return Invalid(f"Email must be at most {MAX_EMAIL_LENGTH} characters", "string_too_long")
    return Email(address=address, key=address.casefold())


def normalise_phone(raw: str) -> str | Invalid:
    if problem := _unicode_problem(raw):
        return problem
    candidate = raw.strip()
    if not _PHONE_SHAPE.fullmatch(candidate):
        return Invalid(
            "Phone must be an international number starting with + "
            "(digits, spaces, parentheses and dashes only)"
        )
    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return Invalid("Phone is not a valid international number")
    if not phonenumbers.is_valid_number(number):
        return Invalid("Phone is not a valid international number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_username(raw: str) -> str | Invalid:
    if problem := _unicode_problem(raw):
        return problem
    username = unicodedata.normalize("NFC", raw.strip())
    shortest, longest = USERNAME_LENGTH
    if len(username) < shortest:
        return Invalid("Username must not be empty", "string_too_short")
    if len(username) > longest:
        return Invalid(f"Username must be at most {longest} characters", "string_too_long")
    if any(unicodedata.category(char) == "Cc" for char in username):
        return Invalid("Username must not contain control characters")
    return username


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords, ranked, from zxcvbn's list (shipped in the package)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    ranked: list[str] = FREQUENCY_LISTS["passwords"]
    return frozenset(ranked[:COMMON_PASSWORDS_CHECKED])


def check_new_password(raw: str) -> str | Invalid:
    """Counted in code points as sent; never trimmed or normalised."""
    if problem := _unicode_problem(raw):
        return problem
    shortest, longest = PASSWORD_LENGTH
    if len(raw) < shortest:
        return Invalid(f"Password must be at least {shortest} characters", "string_too_short")
    if len(raw) > longest:
        return Invalid(f"Password must be at most {longest} characters", "string_too_long")
    if raw.lower() in common_passwords():
        return Invalid("Password is too common; choose a less predictable one")
    return raw


def check_presented_password(raw: str) -> str | Invalid:
    """A password offered for checking (login, old password): any text, as sent."""
    return _unicode_problem(raw) or raw


class FieldChecks:
    """Runs rules field by field and remembers every failure."""

    def __init__(self) -> None:
        self._errors: list[FieldError] = []

    def take(self, field: str, outcome: T | Invalid) -> T | None:
        if isinstance(outcome, Invalid):
            self._errors.append(FieldError(field, outcome.message, outcome.type))
            return None
        return outcome

    def failure(self) -> ValidationError | None:
        return ValidationError(tuple(self._errors)) if self._errors else None
