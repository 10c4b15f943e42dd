"""The one table from a core error to an HTTP status, and the REST error bodies."""

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, assert_never

from starlette.responses import JSONResponse

from userql.resolvers import results
from userql.resolvers.results import Error

HTTP_STATUS: Final[Mapping[type[Error], int]] = {
    results.Unauthorized: 401,
    results.InvalidCredentials: 401,
    results.OldPasswordIncorrect: 403,
    results.UserNotFound: 404,
    results.EmailAlreadyExists: 409,
    results.PhoneAlreadyExists: 409,
    results.ValidationError: 422,
    results.TooManyAttempts: 429,
    results.InvalidPasswordFormat: 400,
}


def error_code(error_type: type[Error]) -> str:
    """`OldPasswordIncorrect` -> `OLD_PASSWORD_INCORRECT`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", error_type.__name__).upper()


def validation_items(
    loc_prefix: Sequence[str | int], items: Sequence[results.FieldError]
) -> list[dict[str, Any]]:
    return [
        {"loc": [*loc_prefix, item.field], "msg": item.message, "type": item.type} for item in items
    ]


def pydantic_items(
    errors: Sequence[Any], loc_prefix: Sequence[str | int] = ()
) -> list[dict[str, Any]]:
    """FastAPI's 422 items without `input`, `ctx` and `url`: a wrong-typed password must
    never be echoed back."""
    return [
        {"loc": [*loc_prefix, *error["loc"]], "msg": error["msg"], "type": error["type"]}
        for error in errors
    ]


def unprocessable(detail: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=422)


def error_response(error: Error) -> JSONResponse:
    status = HTTP_STATUS[type(error)]
    body: dict[str, Any] = {"detail": error.message, "code": error_code(type(error))}
    headers: dict[str, str] = {}
    match error:
        case results.ValidationError():
            return unprocessable(validation_items(["body"], error.fields))
        case results.EmailAlreadyExists():
            body["field"] = "email"
        case results.PhoneAlreadyExists():
            body["field"] = "phone"
        case results.TooManyAttempts():
            headers["Retry-After"] = str(error.retry_after_seconds)
        case (
            results.Unauthorized()
            | results.InvalidCredentials()
            | results.OldPasswordIncorrect()
            | results.UserNotFound()
            | results.InvalidPasswordFormat()
        ):
            pass
        case _:
            assert_never(error)
    return JSONResponse(body, status_code=status, headers=headers)
