"""Fixtures of the end-to-end suite; the server processes themselves are in servers.py."""

from collections.abc import AsyncIterator

import pytest

from harness import fresh_postgres_database


@pytest.fixture(scope="module")
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty (unmigrated) PostgreSQL database for the module, dropped after it."""
    async with fresh_postgres_database() as url:
        yield url
