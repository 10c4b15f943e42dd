"""Fixtures of a fuzzing run: the app under test (per backend), the fuzzer, a bystander."""

from collections.abc import Generator

import pytest
from fastapi import FastAPI

from fuzz.support import Bystander, Fuzzer
from harness import AppFactory


@pytest.fixture
def fuzz_app(make_app: AppFactory) -> FastAPI:
    """The app the fuzzed calls go to, on the backend of `database_url`.

    schemathesis starts its lifespan on the first call, on schemathesis' own event loop,
    and ends it (disposing of the database engine on that loop) when the test is torn
    down."""
    # Hundreds of failed logins come from the one client address schemathesis speaks
    # from; the per-IP ceiling would then refuse the fuzzer's own logins as well.
    return make_app(login_max_failures_per_ip=1_000_000)


@pytest.fixture
def bystander(fuzz_app: FastAPI) -> Bystander:
    user = Bystander(fuzz_app)
    user.start()
    return user


@pytest.fixture
def fuzzer(fuzz_app: FastAPI, bystander: Bystander) -> Fuzzer:
    del bystander  # it exists before the fuzzer's first call
    user = Fuzzer(fuzz_app)
    user.start()
    return user


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None]:
    """After a run, the bystander is unchanged: the same profile, and its password still
    logs it in (every call already checks the profile; a login costs a hash and a few
    writes, so the password is checked once). This is not the fixture's teardown because
    schemathesis ends the app's lifespan before fixtures are torn down."""
    yield
    bystander = getattr(item, "funcargs", {}).get("bystander")
    if isinstance(bystander, Bystander):
        bystander.assert_unchanged()
