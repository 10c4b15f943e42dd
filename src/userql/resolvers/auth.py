"""Authentication: login (throttled), logout, me, change_password."""

import math
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from userql.persistence import sessions as session_rows
from userql.persistence import throttle, users
from userql.resolvers.accounts import profile_of
from userql.resolvers.audit import audited
from userql.resolvers.context import Call
from userql.resolvers.passwords import Check
from userql.resolvers.results import (
    ChangePasswordResult,
    InvalidCredentials,
    InvalidPasswordFormat,
    LoggedOut,
    LoginResult,
    LoginSuccess,
    MeResult,
    OldPasswordIncorrect,
    PasswordChanged,
    TooManyAttempts,
    Unauthorized,
    UserNotFound,
    Viewer,
)
from userql.resolvers.rules import (
    FieldChecks,
    check_new_password,
    check_presented_password,
    normalise_email,
)
from userql.resolvers.sessions import issue_session, revoke_session
from userql.settings import Settings


def _retry_after(counted: list[datetime], window: timedelta, now: datetime) -> int:
    """Seconds until the oldest counted failure leaves the sliding window."""
    seconds = math.ceil((counted[-1] + window - now).total_seconds())
    return max(1, min(seconds, int(window.total_seconds())))


async def _throttled(
    db: AsyncConnection, settings: Settings, key: str, ip: str, now: datetime
) -> TooManyAttempts | None:
    """The contract's per (email, IP) limit, plus ceilings per IP across emails (password
    spraying) and per account across IPs (ASVS: at most 100 failures an hour)."""
    pair_window = timedelta(seconds=settings.login_window_seconds)
    account_window = timedelta(seconds=settings.login_account_window_seconds)
    limits = (
        ({"email_key": key, "client_ip": ip}, settings.login_max_failures, pair_window),
        ({"client_ip": ip}, settings.login_max_failures_per_ip, pair_window),
        ({"email_key": key}, settings.login_max_failures_per_account, account_window),
    )
    waits = []
    for keys, limit, window in limits:
        counted = await throttle.failures_since(db, since=now - window, limit=limit, **keys)
        if len(counted) >= limit:
            waits.append(_retry_after(counted, window, now))
    return TooManyAttempts(retry_after_seconds=max(waits)) if waits else None


@audited("login")
async def login(call: Call, *, email: str, password: str) -> LoginResult:
    checks = FieldChecks()
    valid_email = checks.take("email", normalise_email(email))
    presented = checks.take("password", check_presented_password(password))
    if failure := checks.failure():
        return failure
    assert valid_email is not None
    assert presented is not None

    settings = call.settings
    now = call.now()
    key, ip = valid_email.key, call.client_ip
    longest_window = max(settings.login_window_seconds, settings.login_account_window_seconds)
    # The attempt is recorded as a failure before the password is checked, under a lock
    # on its (email, IP) pair, so parallel guesses cannot all slip under the limit.
    async with call.database.write() as db:
        await throttle.lock_pair(db, key, ip)
        if throttled := await _throttled(db, settings, key, ip, now):
            return throttled
        await throttle.record_failure(
            db, key, ip, now=now, forget_before=now - timedelta(seconds=longest_window)
        )
        user = await users.by_email_key(db, key)

    if user is None:
        await call.passwords.check_decoy(presented)
        return InvalidCredentials()
    if await call.passwords.check(user.password_hash, presented) is not Check.MATCH:
        return InvalidCredentials()

    new_hash = None
    if call.passwords.needs_rehash(user.password_hash):
        new_hash = await call.passwords.hash(presented)
    async with call.database.write() as db:
        await throttle.clear_pair(db, key, ip)
        if new_hash is not None:
            await users.set_password_hash(db, user.id, new_hash, now)
        issued = await issue_session(
            db,
            settings,
            user_id=user.id,
            now=now,
            user_agent=call.user_agent,
            client_ip=ip,
        )
    return LoginSuccess(user=profile_of(user), session=issued)


@audited("logout")
async def logout(call: Call) -> LoggedOut:
    await revoke_session(call.database, call.token, call.now())
    return LoggedOut()


async def me(call: Call) -> MeResult:
    session = await call.session()
    return Unauthorized() if session is None else Viewer(user_id=session.user_id)


@audited("change_password")
async def change_password(
    call: Call, *, old_password: str, new_password: str
) -> ChangePasswordResult:
    session = await call.session()
    if session is None:
        return Unauthorized()
    checks = FieldChecks()
    old = checks.take("old_password", check_presented_password(old_password))
    new = checks.take("new_password", check_new_password(new_password))
    if failure := checks.failure():
        return failure
    assert old is not None
    assert new is not None

    async with call.database.read() as db:
        user = await users.by_id(db, session.user_id)
    if user is None:
        return UserNotFound()
    match await call.passwords.check(user.password_hash, old):
        case Check.UNREADABLE:
            return InvalidPasswordFormat()
        case Check.MISMATCH:
            return OldPasswordIncorrect()
        case Check.MATCH:
            pass

    new_hash = await call.passwords.hash(new)
    now = call.now()
    async with call.database.write() as db:
        await users.set_password_hash(db, user.id, new_hash, now)
        await session_rows.revoke_others(db, user_id=user.id, keep_session_id=session.id, now=now)
    return PasswordChanged()
