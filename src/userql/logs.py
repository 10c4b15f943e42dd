"""Logging for `userql serve`: plain lines for operators, nothing secret.

The database drivers log every statement with its parameters at DEBUG (password hashes,
token hashes); they are held at WARNING whatever the level asked for.
"""

import logging

CHATTY_LIBRARIES = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool")


def quiet_libraries() -> None:
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    quiet_libraries()
