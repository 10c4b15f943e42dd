"""Fuzzing the REST routes described by /openapi.json.

Every operation is called with generated requests (the schema's examples, schemathesis'
coverage cases — wrong types, unknown keys, missing or foreign Content-Type, methods a
route does not have — and random data), as a logged-in user of the fuzzer's own:
- no response is a 5xx;
- every response is documented: status code, content type and body schema;
- data the schema rules out is refused with a 4xx, and a method a route does not have
  with 405 and an `Allow` header;
- the fuzzer's session is never refused (401) and ends only by its own logout;
- a bystander created before the run keeps its profile and its password.
"""

from typing import Any

import schemathesis
from fastapi import FastAPI
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from fuzz.support import FUZZ_SETTINGS, Bystander, Fuzzer, documents_app

schema = schemathesis.openapi.from_asgi("/openapi.json", documents_app())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    unsupported_method,
]


@schema.parametrize()
@FUZZ_SETTINGS
def test_rest_responses_conform(
    case: Case[Any], fuzz_app: FastAPI, fuzzer: Fuzzer, bystander: Bystander
) -> None:
    response = case.call(app=fuzz_app, cookies=fuzzer.cookies())
    fuzzer.after_rest_call(case, response)

    case.validate_response(response, checks=CHECKS)
    if case.path != "/auth/login":
        assert response.status_code != 401, "the fuzzer's session was refused"
    fuzzer.assert_still_logged_in()
    bystander.assert_profile_unchanged()
