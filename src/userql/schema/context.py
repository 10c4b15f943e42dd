"""The GraphQL context: built once per request by the same dependency REST uses."""

from typing import Annotated

from fastapi import Depends
from strawberry.fastapi import BaseContext

from userql.resolvers import Call
from userql.web.call import call_for


class Context(BaseContext):
    def __init__(self, call: Call) -> None:
        super().__init__()
        self.call = call


async def context_for(call: Annotated[Call, Depends(call_for)]) -> Context:
    return Context(call)
