#!/usr/bin/env python3
"""Each proposed change alone (GET /me, or GraphQL me with --graphql), measured as
server CPU per request (robust on a shared machine) and throughput: userql as it is,
userql + one patch, userql + all patches, and the two ceilings, on one seeded SQLite
file, interleaved.

    python bench/ablation.py [--duration 5] [--repeat 3] [--graphql] [--variants a+b,c]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "whatif"))

import patches
import run as bench
import seed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=bench.BENCH / "results")
    parser.add_argument(
        "--graphql", action="store_true", help="measure GraphQL { me } instead of REST GET /me"
    )
    parser.add_argument(
        "--variants",
        help="comma-separated patch sets, '+' joined (default: each proposal alone, then all)",
    )
    args = parser.parse_args()
    cfg = bench.parse_args(
        ["--quick", "--out", str(args.out), "--no-postgres", "--no-fastapi-users", "--whatif", ""]
    )
    cfg.work = args.out / f"ablation-{int(time.time())}"
    cfg.work.mkdir(parents=True)
    path = cfg.work / "small.db"
    url = f"sqlite+aiosqlite:///{path}"
    bench.migrate(url)
    seed.sqlite_bulk(path, first=1, count=1000, password_hash=seed.argon2_hash(), log=print)
    tokens = bench.write_lines(cfg.work / "tokens.txt", [seed.token_for(i) for i in range(1, 1001)])
    dataset = bench.Dataset("small", url, tokens, None, 1000, path)
    names = [name for name in patches.PATCHES if name not in patches.NOT_PROPOSALS]
    variants: dict[str, list[str] | None] = {"userql": []}
    if args.variants:
        variants.update({f"+{v}": v.split("+") for v in args.variants.split(",")})
    else:
        variants.update({f"+{name}": [name] for name in names})
        variants["+all"] = names
        variants["+all+no-access-log"] = [*names, "no-access-log"]
    servers: dict[str, bench.Server] = {}
    try:
        for label, chosen in variants.items():
            cfg.whatif = chosen or []
            server = (
                bench.start_whatif(cfg, url)
                if chosen
                else bench.start_userql(cfg, "userql", url, "small")
            )
            server.name = label
            server.proc.name = label
            servers[label] = server
        if not args.graphql:
            for name, app in (
                ("starlette-me", "starlette_me:app"),
                ("fastapi-me", "fastapi_me:app"),
            ):
                servers[name] = bench.start_baseline(cfg, name, sys.executable, app, url)
        for server in servers.values():
            server.wait()
        env = {
            "BENCH_PATH": "/graphql" if args.graphql else "/me",
            "BENCH_COOKIE": "sid",
            "BENCH_TOKENS": str(tokens),
            "BENCH_QUERY": bench.GRAPHQL_ME,
        }
        script = "graphql.lua" if args.graphql else "me.lua"
        results: dict[str, list[dict]] = {label: [] for label in servers}
        for rep in range(args.repeat):
            order = list(servers.items())
            order = order[rep % len(order) :] + order[: rep % len(order)]
            for label, server in order:
                dataset.refresh(0)
                bench.check_me(server, dataset)
                result = bench.wrk(cfg, server, script, env, connections=32, duration=args.duration)
                results[label].append(result)
                print(
                    f"  {label:32s} {result['rps']:8.1f}/s  "
                    f"{result['cpu_ms_per_request']:.3f} ms CPU/request",
                    flush=True,
                )
        print("\n| variant | req/s (median) | server CPU ms/request (median) |\n|---|---:|---:|")
        for label, runs in results.items():
            print(
                f"| {label} | {statistics.median(r['rps'] for r in runs):,.1f} | "
                f"{statistics.median(r['cpu_ms_per_request'] for r in runs):.3f} |"
            )
    finally:
        bench.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
