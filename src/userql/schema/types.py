"""GraphQL types, exactly as contract section 6 names them."""

from typing import Annotated

import strawberry


@strawberry.interface(
    description="Every expected failure: a union member, never a top-level error."
)
class Error:
    message: str


@strawberry.type
class FieldError:
    field: str
    message: str


@strawberry.type
class ValidationError(Error):
    fields: list[FieldError]


@strawberry.type
class Unauthorized(Error):
    pass


@strawberry.type
class InvalidCredentials(Error):
    pass


@strawberry.type
class OldPasswordIncorrect(Error):
    pass


@strawberry.type
class UserNotFound(Error):
    pass


@strawberry.type
class EmailAlreadyExists(Error):
    pass


@strawberry.type
class PhoneAlreadyExists(Error):
    pass


@strawberry.type
class TooManyAttempts(Error):
    retry_after_seconds: int


@strawberry.type
class InvalidPasswordFormat(Error):
    pass


@strawberry.type
class User:
    id: strawberry.ID
    email: str
    username: str
    phone: str


@strawberry.type
class Viewer:
    user_id: strawberry.ID


@strawberry.type
class LoginSuccess:
    user: User


@strawberry.type
class LoggedOut:
    ok: bool


@strawberry.type
class PasswordChanged:
    ok: bool


MeResult = Annotated[Viewer | Unauthorized, strawberry.union("MeResult")]
ProfileResult = Annotated[User | Unauthorized | UserNotFound, strawberry.union("ProfileResult")]
RegisterResult = Annotated[
    User | EmailAlreadyExists | PhoneAlreadyExists | ValidationError,
    strawberry.union("RegisterResult"),
]
LoginResult = Annotated[
    LoginSuccess | InvalidCredentials | TooManyAttempts | ValidationError,
    strawberry.union("LoginResult"),
]
UpdateUsernameResult = Annotated[
    User | Unauthorized | UserNotFound | ValidationError,
    strawberry.union("UpdateUsernameResult"),
]
ChangePasswordResult = Annotated[
    PasswordChanged
    | Unauthorized
    | OldPasswordIncorrect
    | InvalidPasswordFormat
    | UserNotFound
    | ValidationError,
    strawberry.union("ChangePasswordResult"),
]


@strawberry.input
class RegisterInput:
    email: str
    password: str
    phone: str
    username: str


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.input
class UpdateUsernameInput:
    username: str


@strawberry.input
class ChangePasswordInput:
    old_password: str
    new_password: str
