"""The Strawberry schema: thin types over the core's results."""

from userql.schema.build import build_schema

__all__ = ["build_schema"]
