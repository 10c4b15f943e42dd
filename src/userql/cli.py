"""`userql serve | migrate | export-schema | export-openapi`."""

import argparse
import json
import sys
from collections.abc import Sequence

import uvicorn

from userql import logs
from userql.persistence.migrate import upgrade
from userql.settings import Settings


def _migrate(settings: Settings) -> None:
    # Runs before uvicorn starts (and so before any worker): Alembic's async environment
    # needs its own event loop, and workers must not race each other to migrate.
    upgrade(settings.database_url)


def _serve(args: argparse.Namespace) -> None:
    settings = Settings()
    if not args.no_migrate:
        _migrate(settings)
    uvicorn.run(
        "userql.app:create_app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        # Forwarded headers are judged by USERQL_TRUSTED_PROXIES, not by uvicorn,
        # which would otherwise trust 127.0.0.1 by default.
        proxy_headers=False,
        server_header=False,
        log_level=settings.log_level.lower(),
    )


def _export_schema(_args: argparse.Namespace) -> None:
    from userql.schema import build_schema

    sys.stdout.write(build_schema(Settings()).as_str() + "\n")


def _export_openapi(_args: argparse.Namespace) -> None:
    from userql.app import create_app

    document = create_app(Settings()).openapi()
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="userql", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, then serve REST, GraphQL and docs")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--no-migrate", action="store_true", help="skip migrations (run `userql migrate` apart)"
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(run=lambda _args: _migrate(Settings()))

    export_schema = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export_schema.set_defaults(run=_export_schema)

    export_openapi = commands.add_parser("export-openapi", help="print the OpenAPI document")
    export_openapi.set_defaults(run=_export_openapi)
    return root


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logs.configure(Settings().log_level)
    args.run(args)
