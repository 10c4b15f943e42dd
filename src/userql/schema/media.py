"""GraphQL over HTTP (GraphQL Foundation spec): which media type a client accepts, and
what a request error looks like under `application/graphql-response+json`."""

import json
from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _q(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts nothing we send.

    No Accept header means the legacy `application/json`; when both JSON types are
    acceptable, the GraphQL response type wins ties.
    """
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for item in accept.split(","):
        media_type, *parameters = item.split(";")
        media_type = media_type.strip().lower()
        quality = _q(parameters)
        if quality <= 0:
            continue
        if media_type == GRAPHQL_RESPONSE:
            candidate = (quality, 1, GRAPHQL_RESPONSE)
        elif media_type in {JSON, "application/*", "*/*"}:
            candidate = (quality, 0, JSON)
        else:
            continue
        if best is None or candidate > best:
            best = candidate
    return None if best is None else best[2]


def is_request_error(body: dict[str, Any]) -> bool:
    """A document that did not parse or validate, or variables that did not coerce: the
    request never executed, so no error has a path and there is no data."""
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors or body.get("data") is not None:
        return False
    return all(isinstance(error, dict) and "path" not in error for error in errors)


def as_graphql_response(body_bytes: bytes) -> tuple[int | None, bytes]:
    """Rewrites a JSON result for `application/graphql-response+json`: a request error is
    400 without a `data` entry; anything else keeps its status and body."""
    body = json.loads(body_bytes)
    if isinstance(body, dict) and is_request_error(body):
        body.pop("data", None)
        return 400, json.dumps(body).encode()
    return None, body_bytes
