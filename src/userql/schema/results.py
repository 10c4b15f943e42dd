"""The one mapping from the core's results to GraphQL types."""

from typing import assert_never, overload

import strawberry

from userql.resolvers import results as core
from userql.schema import types


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def user(profile: core.Profile) -> types.User:
    return types.User(
        id=strawberry.ID(str(profile.id)),
        email=profile.email,
        username=profile.username,
        phone=profile.phone,
    )


@overload
def error(result: core.ValidationError) -> types.ValidationError: ...
@overload
def error(result: core.TooManyAttempts) -> types.TooManyAttempts: ...
@overload
def error(result: core.Unauthorized) -> types.Unauthorized: ...
@overload
def error(result: core.InvalidCredentials) -> types.InvalidCredentials: ...
@overload
def error(result: core.OldPasswordIncorrect) -> types.OldPasswordIncorrect: ...
@overload
def error(result: core.UserNotFound) -> types.UserNotFound: ...
@overload
def error(result: core.EmailAlreadyExists) -> types.EmailAlreadyExists: ...
@overload
def error(result: core.PhoneAlreadyExists) -> types.PhoneAlreadyExists: ...
@overload
def error(result: core.InvalidPasswordFormat) -> types.InvalidPasswordFormat: ...
def error(result: core.Error) -> types.Error:
    match result:
        case core.ValidationError():
            return types.ValidationError(
                message=result.message,
                fields=[
                    types.FieldError(field=_camel(item.field), message=item.message)
                    for item in result.fields
                ],
            )
        case core.TooManyAttempts():
            return types.TooManyAttempts(
                message=result.message, retry_after_seconds=result.retry_after_seconds
            )
        case core.Unauthorized():
            return types.Unauthorized(message=result.message)
        case core.InvalidCredentials():
            return types.InvalidCredentials(message=result.message)
        case core.OldPasswordIncorrect():
            return types.OldPasswordIncorrect(message=result.message)
        case core.UserNotFound():
            return types.UserNotFound(message=result.message)
        case core.EmailAlreadyExists():
            return types.EmailAlreadyExists(message=result.message)
        case core.PhoneAlreadyExists():
            return types.PhoneAlreadyExists(message=result.message)
        case core.InvalidPasswordFormat():
            return types.InvalidPasswordFormat(message=result.message)
        case _:
            assert_never(result)
