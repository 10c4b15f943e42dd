"""Reading a REST body in the contract's order: 415, then 413, then 422."""

import json
from typing import Any, TypeVar

import pydantic
from starlette.requests import Request

from userql.rest_compat.bodies import RequestBody
from userql.rest_compat.errors import pydantic_items, unprocessable
from userql.web.guard import BodyTooLarge
from userql.web.problems import Refused, is_json, rest_problem

Body = TypeVar("Body", bound=RequestBody)


async def read_body(request: Request, model: type[Body]) -> Body:
    if not is_json(request.headers.get("content-type")):
        raise Refused(
            rest_problem(415, "Content-Type must be application/json", "UNSUPPORTED_MEDIA_TYPE")
        )
    try:
        raw = await request.body()
    except BodyTooLarge:
        raise Refused(rest_problem(413, "Request body too large", "PAYLOAD_TOO_LARGE")) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        position = error.pos if isinstance(error, json.JSONDecodeError) else 0
        raise Refused(
            unprocessable(
                [{"loc": ["body", position], "msg": "JSON decode error", "type": "json_invalid"}]
            )
        ) from None
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        raise Refused(unprocessable(pydantic_items(error.errors(), ["body"]))) from None


def json_body_openapi(model: type[RequestBody]) -> dict[str, Any]:
    """The request body for OpenAPI; parsing is ours so that 401 comes before 415 and 422."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
