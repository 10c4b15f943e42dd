"""create_app(settings) -> FastAPI: builds everything; nothing happens at import time."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Match
from starlette.staticfiles import StaticFiles

from userql import __version__
from userql.errors import ServiceUnavailable
from userql.persistence.database import Database
from userql.resolvers.context import Services, utc_now
from userql.resolvers.passwords import PasswordHasher
from userql.resolvers.rules import common_passwords
from userql.rest_compat.errors import pydantic_items, unprocessable
from userql.rest_compat.routes import router as rest_router
from userql.schema import build_schema
from userql.schema.router import graphql_router
from userql.settings import Settings
from userql.web.guard import RequestGuard
from userql.web.problems import Refused, problem_for_path, rest_problem, service_unavailable

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "web" / "static"

_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def build_services(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Services:
    return Services(
        settings=settings,
        database=Database(
            settings.database_url,
            pool_size=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout_seconds,
            connect_timeout=settings.database_connect_timeout_seconds,
        ),
        passwords=PasswordHasher(
            memory_kib=settings.argon2_memory_kib,
            time_cost=settings.argon2_time_cost,
            parallelism=settings.argon2_parallelism,
            concurrency=settings.hash_concurrency,
            queue=settings.hash_queue,
        ),
        clock=clock,
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of this path answers (Starlette names only the first)."""
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in app.router.routes
        )
    ]


def _install_error_handlers(app: FastAPI) -> None:
    async def refused(_request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return error.response

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        code = _STATUS_CODES.get(error.status_code, "HTTP_ERROR")
        detail = error.detail if isinstance(error.detail, str) else code.replace("_", " ").title()
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return problem_for_path(request.url.path, error.status_code, detail, code, headers)

    async def unavailable(request: Request, error: Exception) -> Response:
        assert isinstance(error, ServiceUnavailable)
        return service_unavailable(request.url.path, error.retry_after_seconds)

    async def invalid_request(_request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return unprocessable(pydantic_items(error.errors()))

    async def crashed(request: Request, _error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return rest_problem(500, "Internal server error", "INTERNAL_SERVER_ERROR")

    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(ServiceUnavailable, unavailable)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, crashed)


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> FastAPI:
    settings = settings or Settings()
    common_passwords()  # load the list now, not on the first registration
    services = build_services(settings, clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            services.passwords.close()
            await services.database.dispose()

    app = FastAPI(
        title="userql",
        version=__version__,
        summary="Account service: register, log in with cookie sid, profile, password.",
        lifespan=lifespan,
    )
    app.state.services = services
    _install_error_handlers(app)
    app.include_router(rest_router)
    app.include_router(graphql_router(build_schema(settings), settings))

    # HEAD too: uptime probes use it.
    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def account_page() -> Response:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.api_route("/health/live", methods=["GET", "HEAD"], include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/health/ready", methods=["GET", "HEAD"], include_in_schema=False)
    async def ready() -> Response:
        if await services.database.ping():
            return JSONResponse({"status": "ok"})
        return service_unavailable("/health/ready", 1)

    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Content-Type"],
        )
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        public_origin=settings.public_origin,
        allowed_origins=settings.allowed_origins,
        trusted_proxies=settings.trusted_proxies,
    )
    return app


def create_app_from_environment() -> FastAPI:
    """The factory `userql serve` hands to uvicorn (each worker builds its own app)."""
    return create_app(Settings())
