"""Error bodies for failures that happen before or beside the core (403, 413, 415, 503, ...).

REST answers `{"detail", "code"}`; /graphql answers a GraphQL-shaped `errors` list.
"""

from collections.abc import Mapping

from starlette.responses import JSONResponse, Response

GRAPHQL_PATH = "/graphql"


class Refused(Exception):
    """A request answered before the core saw it; the app's handler sends `response`."""

    def __init__(self, response: Response) -> None:
        self.response = response


def is_json(content_type: str | None) -> bool:
    """`application/json`, with or without parameters such as a charset."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json"


def rest_problem(
    status: int, detail: str, code: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status, headers=headers)


def graphql_problem(
    status: int, message: str, code: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)


def problem_for_path(
    path: str, status: int, detail: str, code: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    render = graphql_problem if path.rstrip("/") == GRAPHQL_PATH else rest_problem
    return render(status, detail, code, headers)


def service_unavailable(path: str, retry_after_seconds: int) -> JSONResponse:
    return problem_for_path(
        path,
        503,
        "Service unavailable",
        "SERVICE_UNAVAILABLE",
        {"Retry-After": str(retry_after_seconds)},
    )
