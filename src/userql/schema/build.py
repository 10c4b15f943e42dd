"""The schema, with the limits and switches from Settings."""

from collections.abc import Callable
from functools import partial

from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from userql.schema.limits import OneSensitiveMutation
from userql.schema.operations import Mutation, Query
from userql.settings import Settings


def _unexpected(error: GraphQLError) -> bool:
    """Mask crashes; keep the messages of document, validation and limit errors."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(settings: Settings) -> Schema:
    # Factories: Strawberry builds fresh extensions for every request.
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(MaxAliasesLimiter, max_alias_count=settings.graphql_max_aliases),
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(AddValidationRules, [OneSensitiveMutation]),
        partial(MaskErrors, should_mask_error=_unexpected, error_message="Unexpected error."),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    return Schema(query=Query, mutation=Mutation, extensions=extensions)
