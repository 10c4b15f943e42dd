"""Failures that are not business outcomes: the service cannot answer right now.

Business outcomes are values (see `userql.resolvers.results`); this is the one exception
the core lets through, and both transports render it as 503 with `Retry-After`.
"""

from dataclasses import dataclass


@dataclass(eq=False)
class ServiceUnavailable(Exception):
    reason: str
    retry_after_seconds: int = 1

    def __str__(self) -> str:
        return self.reason
