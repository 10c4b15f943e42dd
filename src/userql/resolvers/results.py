"""What the core answers: success values and the closed set of error types.

Errors are data. Each transport renders them from one table: `rest_compat.errors.HTTP_STATUS`
and `schema.results.to_graphql`. Adding a type here breaks both until it has a row there.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    email: str
    username: str
    phone: str


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: int


@dataclass(frozen=True, slots=True)
class SessionIssued:
    """A new session: the transport hands `token` to the client as cookie `sid`."""

    token: str = field(repr=False)
    max_age_seconds: int


@dataclass(frozen=True, slots=True)
class LoginSuccess:
    user: Profile
    session: SessionIssued


@dataclass(frozen=True, slots=True)
class LoggedOut:
    ok: bool = True


@dataclass(frozen=True, slots=True)
class PasswordChanged:
    ok: bool = True


@dataclass(frozen=True, slots=True)
class FieldError:
    """`field` is the core's (snake_case) name; each transport spells it its own way."""

    field: str
    message: str
    type: str = "value_error"


@dataclass(frozen=True, slots=True)
class ValidationError:
    fields: tuple[FieldError, ...]
    message: str = "Validation error"


@dataclass(frozen=True, slots=True)
class Unauthorized:
    message: str = "Unauthorized"


@dataclass(frozen=True, slots=True)
class InvalidCredentials:
    message: str = "Invalid credentials"


@dataclass(frozen=True, slots=True)
class OldPasswordIncorrect:
    message: str = "Old password incorrect"


@dataclass(frozen=True, slots=True)
class UserNotFound:
    message: str = "User not found"


@dataclass(frozen=True, slots=True)
class EmailAlreadyExists:
    message: str = "Email already exists"


@dataclass(frozen=True, slots=True)
class PhoneAlreadyExists:
    message: str = "Phone already exists"


@dataclass(frozen=True, slots=True)
class TooManyAttempts:
    retry_after_seconds: int
    message: str = "Too many attempts"


@dataclass(frozen=True, slots=True)
class InvalidPasswordFormat:
    message: str = "Invalid password format"


Error = (
    Unauthorized
    | InvalidCredentials
    | OldPasswordIncorrect
    | UserNotFound
    | EmailAlreadyExists
    | PhoneAlreadyExists
    | ValidationError
    | TooManyAttempts
    | InvalidPasswordFormat
)
ERROR_TYPES: tuple[type[Error], ...] = Error.__args__

MeResult = Viewer | Unauthorized
ProfileResult = Profile | Unauthorized | UserNotFound
RegisterResult = Profile | EmailAlreadyExists | PhoneAlreadyExists | ValidationError
LoginResult = LoginSuccess | InvalidCredentials | TooManyAttempts | ValidationError
LogoutResult = LoggedOut
UpdateUsernameResult = Profile | Unauthorized | UserNotFound | ValidationError
ChangePasswordResult = (
    PasswordChanged
    | Unauthorized
    | OldPasswordIncorrect
    | InvalidPasswordFormat
    | UserNotFound
    | ValidationError
)
