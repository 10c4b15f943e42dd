"""The shape the architecture promises: one table per transport, a core without transports.

Contract section 4 is copied here on purpose: the source tables must agree with the
contract, not with themselves.
"""

import inspect
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from strawberry.types.base import get_object_definition

import userql
import userql.resolvers
from userql.resolvers import results
from userql.resolvers.results import ERROR_TYPES, Error
from userql.rest_compat.errors import HTTP_STATUS, error_code, error_response
from userql.schema import types
from userql.schema.results import error as to_graphql

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# Contract section 4: result type -> (REST status, REST detail, REST code).
CONTRACT_ERRORS: dict[str, tuple[int, str | None, str]] = {
    "Unauthorized": (401, "Unauthorized", "UNAUTHORIZED"),
    "InvalidCredentials": (401, "Invalid credentials", "INVALID_CREDENTIALS"),
    "OldPasswordIncorrect": (403, "Old password incorrect", "OLD_PASSWORD_INCORRECT"),
    "UserNotFound": (404, "User not found", "USER_NOT_FOUND"),
    "EmailAlreadyExists": (409, "Email already exists", "EMAIL_ALREADY_EXISTS"),
    "PhoneAlreadyExists": (409, "Phone already exists", "PHONE_ALREADY_EXISTS"),
    "ValidationError": (422, None, "VALIDATION_ERROR"),
    "TooManyAttempts": (429, "Too many attempts", "TOO_MANY_ATTEMPTS"),
    "InvalidPasswordFormat": (400, "Invalid password format", "INVALID_PASSWORD_FORMAT"),
}

ONE_OF_EACH_ERROR: tuple[Error, ...] = (
    results.Unauthorized(),
    results.InvalidCredentials(),
    results.OldPasswordIncorrect(),
    results.UserNotFound(),
    results.EmailAlreadyExists(),
    results.PhoneAlreadyExists(),
    results.ValidationError(
        (results.FieldError("old_password", "Password is too short", "string_too_short"),)
    ),
    results.TooManyAttempts(retry_after_seconds=42),
    results.InvalidPasswordFormat(),
)

THE_SEVEN_OPERATIONS = {
    "register",
    "login",
    "logout",
    "me",
    "profile",
    "update_username",
    "change_password",
}


def _name(value: object) -> str:
    return type(value).__name__


# --- (a) the REST table --------------------------------------------------------------------


def test_the_error_types_are_exactly_the_contracts_closed_set() -> None:
    assert sorted(error_type.__name__ for error_type in ERROR_TYPES) == sorted(CONTRACT_ERRORS)


def test_the_examples_below_cover_every_error_type() -> None:
    assert {type(example) for example in ONE_OF_EACH_ERROR} == set(ERROR_TYPES)


def test_the_http_status_table_has_one_row_per_error_type_and_no_other() -> None:
    assert set(HTTP_STATUS) == set(ERROR_TYPES)


@pytest.mark.parametrize("error_type", ERROR_TYPES, ids=lambda error_type: error_type.__name__)
def test_every_error_type_has_the_http_status_of_contract_section_4(
    error_type: type[Error],
) -> None:
    status, _, _ = CONTRACT_ERRORS[error_type.__name__]
    assert HTTP_STATUS[error_type] == status


@pytest.mark.parametrize("error_type", ERROR_TYPES, ids=lambda error_type: error_type.__name__)
def test_every_error_code_is_the_upper_snake_name_of_its_type(error_type: type[Error]) -> None:
    _, _, code = CONTRACT_ERRORS[error_type.__name__]
    assert error_code(error_type) == code


@pytest.mark.parametrize(
    "example",
    [example for example in ONE_OF_EACH_ERROR if not isinstance(example, results.ValidationError)],
    ids=_name,
)
def test_every_rest_error_body_is_detail_and_code_plus_field_on_409(example: Error) -> None:
    status, detail, code = CONTRACT_ERRORS[_name(example)]
    response = error_response(example)

    expected: dict[str, str] = {"detail": str(detail), "code": code}
    if isinstance(example, results.EmailAlreadyExists):
        expected["field"] = "email"
    if isinstance(example, results.PhoneAlreadyExists):
        expected["field"] = "phone"
    assert response.status_code == status
    assert json.loads(bytes(response.body)) == expected


def test_too_many_attempts_carries_retry_after_in_whole_seconds() -> None:
    response = error_response(results.TooManyAttempts(retry_after_seconds=42))
    assert response.headers["Retry-After"] == "42"


def test_a_validation_error_is_fastapis_422_shape_without_input_or_ctx() -> None:
    failure = results.ValidationError(
        (
            results.FieldError("email", "Value is not a valid email address"),
            results.FieldError("old_password", "Password is too short", "string_too_short"),
        )
    )
    response = error_response(failure)
    assert response.status_code == 422
    assert json.loads(bytes(response.body)) == {
        "detail": [
            {
                "loc": ["body", "email"],
                "msg": "Value is not a valid email address",
                "type": "value_error",
            },
            {
                "loc": ["body", "old_password"],
                "msg": "Password is too short",
                "type": "string_too_short",
            },
        ]
    }


# --- (b) the GraphQL mapping ---------------------------------------------------------------


@pytest.mark.parametrize("example", ONE_OF_EACH_ERROR, ids=_name)
def test_every_error_maps_to_the_graphql_type_of_the_same_name_with_a_message(
    example: Error,
) -> None:
    rendered = to_graphql(example)
    definition = get_object_definition(type(rendered), strict=True)
    assert definition.name == _name(example)
    assert isinstance(rendered, types.Error)
    assert rendered.message.strip()


def test_graphql_validation_errors_name_fields_as_graphql_spells_them() -> None:
    rendered = to_graphql(
        results.ValidationError(
            (
                results.FieldError("old_password", "Old password is required"),
                results.FieldError("email", "Value is not a valid email address"),
            )
        )
    )
    assert [(item.field, item.message) for item in rendered.fields] == [
        ("oldPassword", "Old password is required"),
        ("email", "Value is not a valid email address"),
    ]


def test_graphql_too_many_attempts_carries_the_same_retry_after() -> None:
    rendered = to_graphql(results.TooManyAttempts(retry_after_seconds=42))
    assert rendered.retry_after_seconds == 42


# --- (c) the core knows no transport -------------------------------------------------------

_IMPORT_THE_CORE = """
import importlib, pkgutil, sys
import userql.persistence, userql.resolvers
for package in (userql.resolvers, userql.persistence):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
print("\\n".join(sorted(sys.modules)))
"""

TRANSPORTS = ("fastapi", "starlette", "strawberry", "userql.schema", "userql.rest_compat")


@pytest.fixture(scope="module")
def modules_loaded_by_the_core() -> set[str]:
    completed = subprocess.run(  # noqa: S603 -- our own interpreter, a fixed script
        [sys.executable, "-c", _IMPORT_THE_CORE],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(completed.stdout.split())


def test_the_core_and_persistence_import_cleanly_on_their_own(
    modules_loaded_by_the_core: set[str],
) -> None:
    assert {
        "userql.resolvers.accounts",
        "userql.resolvers.auth",
        "userql.persistence.users",
    } <= modules_loaded_by_the_core


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_importing_the_core_and_persistence_loads_no_transport(
    modules_loaded_by_the_core: set[str], transport: str
) -> None:
    loaded = {
        name
        for name in modules_loaded_by_the_core
        if name == transport or name.startswith(transport + ".")
    }
    assert loaded == set()


# --- (d) the public surface ----------------------------------------------------------------


def test_the_package_exposes_its_version_as_declared_in_pyproject() -> None:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert "__version__" in userql.__all__
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", userql.__version__)
    assert userql.__version__ == declared


def test_the_core_exports_exactly_the_seven_operations_call_and_services() -> None:
    assert sorted(userql.resolvers.__all__) == sorted(THE_SEVEN_OPERATIONS | {"Call", "Services"})


@pytest.mark.parametrize("operation", sorted(THE_SEVEN_OPERATIONS))
def test_every_exported_operation_is_an_async_function(operation: str) -> None:
    assert inspect.iscoroutinefunction(getattr(userql.resolvers, operation))


@pytest.mark.parametrize("name", ["Call", "Services"])
def test_the_core_exports_call_and_services_as_classes(name: str) -> None:
    assert inspect.isclass(getattr(userql.resolvers, name))
