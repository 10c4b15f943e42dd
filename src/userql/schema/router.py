"""Strawberry's FastAPI router with the HTTP behaviour the contract and the GraphQL over
HTTP spec ask for: a POST that is not JSON is 415 and runs nothing; a mutation over GET
is 405 with `Allow: POST`; a body over the limit is 413; `application/graphql-response+json`
is answered in kind (request errors are 400 without `data`); an Accept header that allows
neither JSON type is 406; other transport errors come back as GraphQL JSON."""

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.responses import Response
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData

from userql.schema.context import Context, context_for
from userql.schema.media import GRAPHQL_RESPONSE, JSON, as_graphql_response, negotiate
from userql.settings import Settings
from userql.web.guard import BodyTooLarge
from userql.web.problems import GRAPHQL_PATH, Refused, graphql_problem, is_json


class GraphQLEndpoint(GraphQLRouter[Context, None]):
    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None and not wants_page:
            return graphql_problem(406, f"Accept {JSON} or {GRAPHQL_RESPONSE}", "NOT_ACCEPTABLE")
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except Refused as refused:
            return refused.response
        except BodyTooLarge:
            return graphql_problem(413, "Request body too large", "PAYLOAD_TOO_LARGE")
        except HTTPException as error:
            return graphql_problem(error.status_code, error.reason, "BAD_REQUEST")
        if media_type == GRAPHQL_RESPONSE and response.media_type == JSON:
            return _as_graphql_response(response)
        return response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        if request.method == "POST" and not is_json(request.content_type):
            raise Refused(
                graphql_problem(
                    415, "Content-Type must be application/json", "UNSUPPORTED_MEDIA_TYPE"
                )
            )
        data = await super().parse_http_body(request)
        if (
            request.method == "GET"
            and isinstance(data, GraphQLRequestData)
            and _is_mutation(data.query, data.operation_name)
        ):
            raise Refused(
                graphql_problem(
                    405,
                    "Mutations are only allowed over POST",
                    "METHOD_NOT_ALLOWED",
                    {"Allow": "POST"},
                )
            )
        return data


def _as_graphql_response(response: Response) -> Response:
    status, body = as_graphql_response(bytes(response.body))
    rewritten = Response(
        body, status_code=status or response.status_code, media_type=GRAPHQL_RESPONSE
    )
    rewritten.raw_headers.extend(
        (name, value)
        for name, value in response.raw_headers
        if name not in (b"content-type", b"content-length")
    )
    return rewritten


def _is_mutation(query: str | None, operation_name: str | None) -> bool:
    if not query:
        return False
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        return False  # Strawberry reports the syntax error itself
    return operation is not None and operation.operation is OperationType.MUTATION


def graphql_router(schema: Any, settings: Settings) -> GraphQLEndpoint:
    return GraphQLEndpoint(
        schema,
        path=GRAPHQL_PATH,
        graphql_ide="graphiql" if settings.graphiql else None,
        context_getter=context_for,
        subscription_protocols=(),
        include_in_schema=False,  # GraphQL has its own schema; OpenAPI documents REST
    )
