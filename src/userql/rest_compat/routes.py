"""The memo's routes. Each one parses, calls one resolver, and renders the result."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from userql import resolvers
from userql.resolvers import Call, results
from userql.rest_compat.bodies import (
    ChangePasswordBody,
    ConflictOut,
    ErrorOut,
    LoginBody,
    OkOut,
    ProfileOut,
    RegisterBody,
    UpdateProfileBody,
    UserIdOut,
    ValidationOut,
)
from userql.rest_compat.errors import HTTP_STATUS, error_response
from userql.rest_compat.parsing import json_body_openapi, read_body
from userql.web.call import call_for
from userql.web.cookies import clear_session_cookie, set_session_cookie
from userql.web.problems import Refused

DESCRIPTIONS = {
    results.Unauthorized: "No valid session",
    results.InvalidCredentials: "Wrong email or password",
    results.OldPasswordIncorrect: "Old password incorrect",
    results.UserNotFound: "The session's user no longer exists",
    results.EmailAlreadyExists: "Email or phone already exists (see `field`)",
    results.PhoneAlreadyExists: "Email or phone already exists (see `field`)",
    results.ValidationError: "Validation error",
    results.TooManyAttempts: "Too many failed logins; see Retry-After",
    results.InvalidPasswordFormat: "The stored password hash cannot be read",
}
_CONFLICTS = {results.EmailAlreadyExists, results.PhoneAlreadyExists}


def documented(
    *errors: type[results.Error], body: bool = True, unsafe: bool = True
) -> dict[int | str, Any]:
    """OpenAPI `responses` for the errors a route can answer, plus the edge statuses."""
    responses: dict[int | str, Any] = {}

    def add(status: int, model: type[BaseModel], description: str) -> None:
        entry = responses.setdefault(status, {"model": model, "description": description})
        if description not in entry["description"]:
            entry["description"] += "; or: " + description

    for error in errors:
        model: type[BaseModel] = ErrorOut
        if error is results.ValidationError:
            model = ValidationOut
        elif error in _CONFLICTS:
            model = ConflictOut
        add(HTTP_STATUS[error], model, DESCRIPTIONS[error])
    if unsafe:
        add(403, ErrorOut, "A foreign Origin (cross-site request)")
    if body:
        add(413, ErrorOut, "Body over the size limit")
        add(415, ErrorOut, "Content-Type is not application/json")
        add(422, ValidationOut, "Validation error")
    add(503, ErrorOut, "Service unavailable; see Retry-After")
    return responses


def profile_body(profile: results.Profile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "email": profile.email,
        "username": profile.username,
        "phone": profile.phone,
    }


async def signed_in(call: Annotated[Call, Depends(call_for)]) -> Call:
    """401 before the body is looked at (contract section 8)."""
    if isinstance(await resolvers.me(call), results.Unauthorized):
        raise Refused(error_response(results.Unauthorized()))
    return call


router = APIRouter()


@router.post(
    "/users/register",
    status_code=201,
    response_model=ProfileOut,
    responses=documented(
        results.EmailAlreadyExists, results.PhoneAlreadyExists, results.ValidationError
    ),
    openapi_extra=json_body_openapi(RegisterBody),
    summary="Register a user",
)
async def register(request: Request, call: Annotated[Call, Depends(call_for)]) -> Response:
    body = await read_body(request, RegisterBody)
    match await resolvers.register(
        call, email=body.email, password=body.password, phone=body.phone, username=body.username
    ):
        case results.Profile() as profile:
            return JSONResponse(profile_body(profile), status_code=201)
        case error:
            return error_response(error)


@router.post(
    "/auth/login",
    response_model=UserIdOut,
    responses=documented(
        results.InvalidCredentials, results.TooManyAttempts, results.ValidationError
    ),
    openapi_extra=json_body_openapi(LoginBody),
    summary="Log in; sets the HttpOnly cookie sid",
)
async def login(request: Request, call: Annotated[Call, Depends(call_for)]) -> Response:
    body = await read_body(request, LoginBody)
    match await resolvers.login(call, email=body.email, password=body.password):
        case results.LoginSuccess() as success:
            response = JSONResponse({"user_id": str(success.user.id)})
            set_session_cookie(response, success.session, call.settings)
            return response
        case error:
            return error_response(error)


@router.post(
    "/auth/logout",
    response_model=OkOut,
    responses=documented(body=False),
    summary="Log out; revokes the session and expires the cookie",
)
async def logout(call: Annotated[Call, Depends(call_for)]) -> Response:
    await resolvers.logout(call)
    response = JSONResponse({"ok": True})
    clear_session_cookie(response, call.settings)
    return response


@router.get(
    "/me",
    response_model=UserIdOut,
    responses=documented(results.Unauthorized, body=False, unsafe=False),
    summary="Check the current session",
)
async def me(call: Annotated[Call, Depends(call_for)]) -> Response:
    match await resolvers.me(call):
        case results.Viewer() as viewer:
            return JSONResponse({"user_id": str(viewer.user_id)})
        case error:
            return error_response(error)


@router.get(
    "/me/profile",
    response_model=ProfileOut,
    responses=documented(results.Unauthorized, results.UserNotFound, body=False, unsafe=False),
    summary="Read the current user's profile",
)
async def read_profile(call: Annotated[Call, Depends(call_for)]) -> Response:
    match await resolvers.profile(call):
        case results.Profile() as profile:
            return JSONResponse(profile_body(profile))
        case error:
            return error_response(error)


@router.patch(
    "/me/profile",
    response_model=ProfileOut,
    responses=documented(results.Unauthorized, results.UserNotFound, results.ValidationError),
    openapi_extra=json_body_openapi(UpdateProfileBody),
    summary="Change the username (the only field that can change)",
)
async def update_profile(request: Request, call: Annotated[Call, Depends(signed_in)]) -> Response:
    body = await read_body(request, UpdateProfileBody)
    match await resolvers.update_username(call, username=body.username):
        case results.Profile() as profile:
            return JSONResponse(profile_body(profile))
        case error:
            return error_response(error)


@router.post(
    "/me/password",
    response_model=OkOut,
    responses=documented(
        results.Unauthorized,
        results.OldPasswordIncorrect,
        results.InvalidPasswordFormat,
        results.UserNotFound,
        results.ValidationError,
    ),
    openapi_extra=json_body_openapi(ChangePasswordBody),
    summary="Change the password; ends every other session of the user",
)
async def change_password(request: Request, call: Annotated[Call, Depends(signed_in)]) -> Response:
    body = await read_body(request, ChangePasswordBody)
    match await resolvers.change_password(
        call, old_password=body.old_password, new_password=body.new_password
    ):
        case results.PasswordChanged():
            return JSONResponse({"ok": True})
        case error:
            return error_response(error)
