"""schema.graphql and openapi.json at the repository root are what the code serves."""

import json
from pathlib import Path

from userql.app import create_app
from userql.schema import build_schema
from userql.settings import Settings

ROOT = Path(__file__).parents[2]


def test_schema_graphql_is_what_the_code_serves() -> None:
    served = build_schema(Settings()).as_str() + "\n"

    committed = (ROOT / "schema.graphql").read_text()

    assert committed == served, (
        "schema.graphql is out of date: regenerate it with "
        "`userql export-schema > schema.graphql` and review the diff"
    )


def test_openapi_json_is_what_the_code_serves(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    served = json.dumps(create_app(settings).openapi(), indent=2, ensure_ascii=False) + "\n"

    committed = (ROOT / "openapi.json").read_text()

    assert committed == served, (
        "openapi.json is out of date: regenerate it with "
        "`userql export-openapi > openapi.json` and review the diff"
    )
