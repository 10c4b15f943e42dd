"""The schema, with the limits and switches from Settings."""

import logging
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
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from userql.schema.limits import OneSensitiveMutation
from userql.schema.operations import Mutation, Query
from userql.settings import Settings

log = logging.getLogger(__name__)


def _unexpected(error: GraphQLError) -> bool:
    """Mask crashes; keep the messages of document, validation and limit errors."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class UserqlSchema(Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log crashes with their traceback; a client's malformed document is not news."""
        for error in errors:
            if _unexpected(error):
                log.error("unexpected error at %s", error.path, exc_info=error.original_error)


def build_schema(settings: Settings) -> Schema:
    # The limiters make a new rule class per instance; built once here, the rules stay
    # the same objects, so the validation cache (keyed by document and rules) can hit.
    rules = [
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        OneSensitiveMutation,
    ]
    # Factories: Strawberry builds fresh extensions for every request.
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(AddValidationRules, rules),
        ParserCache,
        ValidationCache,
        partial(MaskErrors, should_mask_error=_unexpected, error_message="Unexpected error."),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    # Without introspection, "did you mean ...?" hints would leak the schema anyway.
    config = StrawberryConfig(disable_field_suggestions=not settings.graphql_introspection)
    return UserqlSchema(query=Query, mutation=Mutation, extensions=extensions, config=config)
