"""Accounts: register, read the profile, rename."""

from userql.persistence import users
from userql.persistence.users import Taken, UserRecord
from userql.resolvers.audit import audited
from userql.resolvers.context import Call
from userql.resolvers.results import (
    EmailAlreadyExists,
    PhoneAlreadyExists,
    Profile,
    ProfileResult,
    RegisterResult,
    Unauthorized,
    UpdateUsernameResult,
    UserNotFound,
)
from userql.resolvers.rules import (
    FieldChecks,
    check_new_password,
    check_username,
    normalise_email,
    normalise_phone,
)


def profile_of(user: UserRecord) -> Profile:
    return Profile(id=user.id, email=user.email, username=user.username, phone=user.phone)


def _conflict(taken: Taken) -> EmailAlreadyExists | PhoneAlreadyExists:
    return EmailAlreadyExists() if taken is Taken.EMAIL else PhoneAlreadyExists()


@audited("register")
async def register(
    call: Call, *, email: str, password: str, phone: str, username: str
) -> RegisterResult:
    checks = FieldChecks()
    valid_email = checks.take("email", normalise_email(email))
    valid_password = checks.take("password", check_new_password(password))
    valid_phone = checks.take("phone", normalise_phone(phone))
    valid_username = checks.take("username", check_username(username))
    if failure := checks.failure():
        return failure
    assert valid_email is not None
    assert valid_password is not None
    assert valid_phone is not None
    assert valid_username is not None

    # Checked before hashing so a taken address costs no argon2 time; the unique
    # indexes below still judge the race between two registrations.
    async with call.database.read() as db:
        taken = await users.taken(db, email_key=valid_email.key, phone=valid_phone)
    if taken is not None:
        return _conflict(taken)

    password_hash = await call.passwords.hash(valid_password)
    async with call.database.write() as db:
        user_id = await users.insert_user(
            db,
            email=valid_email.address,
            email_key=valid_email.key,
            phone=valid_phone,
            username=valid_username,
            password_hash=password_hash,
            now=call.now(),
        )
        if user_id is None:
            taken = await users.taken(db, email_key=valid_email.key, phone=valid_phone)
            return _conflict(taken or Taken.EMAIL)
    return Profile(
        id=user_id, email=valid_email.address, username=valid_username, phone=valid_phone
    )


async def profile(call: Call) -> ProfileResult:
    session = await call.session()
    if session is None:
        return Unauthorized()
    async with call.database.read() as db:
        user = await users.by_id(db, session.user_id)
    return UserNotFound() if user is None else profile_of(user)


async def update_username(call: Call, *, username: str) -> UpdateUsernameResult:
    session = await call.session()
    if session is None:
        return Unauthorized()
    checks = FieldChecks()
    valid_username = checks.take("username", check_username(username))
    if failure := checks.failure():
        return failure
    assert valid_username is not None
    async with call.database.write() as db:
        if not await users.set_username(db, session.user_id, valid_username, call.now()):
            return UserNotFound()
        user = await users.by_id(db, session.user_id)
    return UserNotFound() if user is None else profile_of(user)
