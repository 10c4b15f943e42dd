"""Fuzzing the GraphQL schema that /graphql introspects to.

Every query and mutation field is called with generated documents (valid ones, and
invalid ones: missing, null or wrongly typed arguments), as a logged-in user of the
fuzzer's own:
- no response is a 5xx, and every response is GraphQL JSON that keeps the schema's
  non-null promises;
- a valid document gets `data` and no top-level `errors` (expected failures are union
  members); an invalid one gets `errors`;
- the fuzzer's session ends only by its own logout;
- a bystander created before the run keeps its profile and its password.
"""

from typing import Any

import schemathesis
from fastapi import FastAPI
from schemathesis import Case
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
)

from fuzz.support import FUZZ_SETTINGS, Bystander, Fuzzer, documents_app

schema = schemathesis.graphql.from_asgi("/graphql", documents_app())

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(character) <= 0xDFFF for character in text)


@schema.parametrize()
@FUZZ_SETTINGS
def test_graphql_responses_conform(
    case: Case[Any], fuzz_app: FastAPI, fuzzer: Fuzzer, bystander: Bystander
) -> None:
    response = case.call(app=fuzz_app, cookies=fuzzer.cookies())
    fuzzer.after_graphql_call(case)

    assert isinstance(case.body, str)
    if has_lone_surrogate(case.body):
        # The generator can put a lone surrogate into a string literal of the document;
        # GraphQL source text is Unicode scalar values only, so that document is a syntax
        # error (a surrogate sent in `variables` is a `ValidationError` member instead).
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code < 500
        assert response.json()["errors"], response.text
    else:
        case.validate_response(response, checks=CHECKS)
    fuzzer.assert_still_logged_in()
    bystander.assert_profile_unchanged()
