"""The breaking-change gate: the served schema may add to the contract's SDL (section 6,
copied beside this file), never break it."""

from pathlib import Path

from graphql import (
    build_schema as build_sdl,
)
from graphql import (
    find_breaking_changes,
    find_dangerous_changes,
)

from userql.schema import build_schema
from userql.settings import Settings

BASELINE = Path(__file__).with_name("contract_schema.graphql")


def test_the_served_schema_breaks_nothing_in_the_contract() -> None:
    contract = build_sdl(BASELINE.read_text())
    served = build_sdl(build_schema(Settings()).as_str())

    dangerous = find_dangerous_changes(contract, served)
    for change in dangerous:
        print(f"dangerous: {change.type.name}: {change.description}")  # noqa: T201
    breaking = find_breaking_changes(contract, served)

    assert breaking == [], "the schema breaks the contract:\n" + "\n".join(
        f"- {change.type.name}: {change.description}" for change in breaking
    )


def test_the_gate_notices_a_renamed_type() -> None:
    contract = build_sdl(BASELINE.read_text())
    renamed = build_sdl(BASELINE.read_text().replace("OldPasswordIncorrect", "WrongOldPassword"))

    assert find_breaking_changes(contract, renamed)
