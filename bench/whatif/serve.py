"""`userql serve` with proposed src changes applied in memory (the repository is not touched).

    python bench/whatif/serve.py --patches graphql-caches,sqlite-read-autocommit \
        -- serve --host 127.0.0.1 --port 8000 --no-migrate

Each patch is the exact change BENCHMARKS.md proposes for src/userql; bench/run.py serves
this next to the real `userql serve` (scenarios named `whatif-...`) so the effect of every
proposal is measured in the same run, on the same file, under the same load.
With --workers 1 uvicorn serves in this very process, so the patches hold.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import patches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patches", default="", help="comma-separated names from patches.py")
    parser.add_argument("userql_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    chosen = [name for name in args.patches.split(",") if name]
    patches.apply(chosen)
    from userql.cli import main as userql_main

    rest = args.userql_args[1:] if args.userql_args[:1] == ["--"] else args.userql_args
    if "--workers" in rest and rest[rest.index("--workers") + 1] != "1":
        raise SystemExit("patches hold in one process only: --workers 1")
    userql_main(rest)


if __name__ == "__main__":
    main()
