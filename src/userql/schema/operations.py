"""Query and Mutation: each field calls one resolver and maps its result."""

from collections.abc import Awaitable
from typing import TypeVar

import strawberry
from graphql import GraphQLError
from starlette.responses import Response
from strawberry.types import Info

from userql import resolvers
from userql.errors import ServiceUnavailable
from userql.resolvers import Call
from userql.resolvers import results as core
from userql.schema import types
from userql.schema.context import Context
from userql.schema.results import error, user
from userql.web.cookies import clear_session_cookie, set_session_cookie

T = TypeVar("T")


def _call(info: Info[Context, None]) -> Call:
    return info.context.call


def _response(info: Info[Context, None]) -> Response:
    response = info.context.response
    assert isinstance(response, Response)
    return response


async def _answer(info: Info[Context, None], outcome: Awaitable[T]) -> T:
    """Runs one resolver; a service that cannot answer now becomes 503 + Retry-After."""
    try:
        return await outcome
    except ServiceUnavailable as unavailable:
        response = _response(info)
        response.status_code = 503
        response.headers["Retry-After"] = str(unavailable.retry_after_seconds)
        raise GraphQLError(
            "Service unavailable", extensions={"code": "SERVICE_UNAVAILABLE"}
        ) from None


@strawberry.type
class Query:
    @strawberry.field(description="The current session's user id, or Unauthorized.")
    async def me(self, info: Info[Context, None]) -> types.MeResult:
        match await _answer(info, resolvers.me(_call(info))):
            case core.Viewer() as viewer:
                return types.Viewer(user_id=strawberry.ID(str(viewer.user_id)))
            case failure:
                return error(failure)

    @strawberry.field(description="The current user's profile.")
    async def profile(self, info: Info[Context, None]) -> types.ProfileResult:
        match await _answer(info, resolvers.profile(_call(info))):
            case core.Profile() as profile:
                return user(profile)
            case failure:
                return error(failure)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an account. Creates no session.")
    async def register(
        self, info: Info[Context, None], input: types.RegisterInput
    ) -> types.RegisterResult:
        outcome = resolvers.register(
            _call(info),
            email=input.email,
            password=input.password,
            phone=input.phone,
            username=input.username,
        )
        match await _answer(info, outcome):
            case core.Profile() as profile:
                return user(profile)
            case failure:
                return error(failure)

    @strawberry.mutation(description="Log in; sets the HttpOnly cookie sid.")
    async def login(self, info: Info[Context, None], input: types.LoginInput) -> types.LoginResult:
        call = _call(info)
        outcome = resolvers.login(call, email=input.email, password=input.password)
        match await _answer(info, outcome):
            case core.LoginSuccess() as success:
                set_session_cookie(_response(info), success.session, call.settings)
                return types.LoginSuccess(user=user(success.user))
            case failure:
                return error(failure)

    @strawberry.mutation(description="End the current session and expire the cookie.")
    async def logout(self, info: Info[Context, None]) -> types.LoggedOut:
        call = _call(info)
        result = await _answer(info, resolvers.logout(call))
        clear_session_cookie(_response(info), call.settings)
        return types.LoggedOut(ok=result.ok)

    @strawberry.mutation(description="Change the username, the only editable profile field.")
    async def update_username(
        self, info: Info[Context, None], input: types.UpdateUsernameInput
    ) -> types.UpdateUsernameResult:
        outcome = resolvers.update_username(_call(info), username=input.username)
        match await _answer(info, outcome):
            case core.Profile() as profile:
                return user(profile)
            case failure:
                return error(failure)

    @strawberry.mutation(description="Change the password; ends every other session.")
    async def change_password(
        self, info: Info[Context, None], input: types.ChangePasswordInput
    ) -> types.ChangePasswordResult:
        outcome = resolvers.change_password(
            _call(info), old_password=input.old_password, new_password=input.new_password
        )
        match await _answer(info, outcome):
            case core.PasswordChanged() as changed:
                return types.PasswordChanged(ok=changed.ok)
            case failure:
                return error(failure)
