"""The audit log: one structured line per account event, with its outcome.

A line carries the event, the outcome (the result's type name), the user id when known,
the client IP and the request id; never a password, token, cookie, hash or email. JSON
encoding escapes CR/LF, so nothing a client sends can forge a line.
"""

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from userql.resolvers.context import Call
from userql.resolvers.results import LoginSuccess, Profile

log = logging.getLogger("userql.audit")

P = ParamSpec("P")
R = TypeVar("R")


def _user_id(call: Call, result: object) -> int | None:
    match result:
        case Profile(id=user_id) | LoginSuccess(user=Profile(id=user_id)):
            return user_id
    return call.known_user_id()


def audited(
    event: str,
) -> Callable[
    [Callable[Concatenate[Call, P], Awaitable[R]]], Callable[Concatenate[Call, P], Awaitable[R]]
]:
    def decorate(
        operation: Callable[Concatenate[Call, P], Awaitable[R]],
    ) -> Callable[Concatenate[Call, P], Awaitable[R]]:
        @functools.wraps(operation)
        async def run(call: Call, /, *args: P.args, **kwargs: P.kwargs) -> R:
            result = await operation(call, *args, **kwargs)
            record = {
                "event": event,
                "outcome": type(result).__name__,
                "user_id": _user_id(call, result),
                "client_ip": call.client_ip,
                "request_id": call.request_id,
            }
            log.info(json.dumps(record))
            return result

        return run

    return decorate
