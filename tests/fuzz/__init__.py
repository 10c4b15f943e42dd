"""Property-based fuzzing of both schemas (OpenAPI and GraphQL) with schemathesis.

This directory is a package (`fuzz`) so that its conftest is `fuzz.conftest` and never
takes the place of `tests/conftest.py`, which `drivers` imports as `conftest`.
"""
