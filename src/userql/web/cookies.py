"""Cookie `sid`: set and cleared here only, for both transports."""

from starlette.responses import Response

from userql.resolvers.results import SessionIssued
from userql.settings import Settings

SESSION_COOKIE = "sid"


def set_session_cookie(response: Response, issued: SessionIssued, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.max_age_seconds,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="Lax",  # type: ignore[arg-type]  # the contract spells it Lax
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="Lax",  # type: ignore[arg-type]  # the contract spells it Lax
    )
