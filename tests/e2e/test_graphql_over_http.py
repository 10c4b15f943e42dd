"""GraphQL over HTTP, rule by rule: graphql-http's server audit (the GraphQL Foundation's
reference implementation of the spec) run by Node against a real `userql serve`."""

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from servers import Server, running_server, server_environment

AUDIT = Path(__file__).with_name("graphql_over_http")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(cwd=tmp_path_factory.mktemp("audit"), env=server_environment()) as up:
        yield up


def test_every_must_and_should_of_the_spec_holds(server: Server) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the GraphQL over HTTP audit"
    assert (AUDIT / "node_modules" / "graphql-http").is_dir(), (
        "run `npm ci --prefix tests/e2e/graphql_over_http` (scripts/install does)"
    )

    completed = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [node, str(AUDIT / "audit.mjs"), f"{server.base_url}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    audits = [json.loads(line) for line in completed.stdout.splitlines()]

    assert len(audits) > 50
    failed = [f"{a['name']}: {a['reason']}" for a in audits if a["status"] != "ok"]
    assert failed == [], "\n".join(failed)
