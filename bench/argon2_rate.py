"""Raw argon2-cffi verify throughput: the login ceiling.

`concurrency` threads each verify BULK_PASSWORD against one hash made with userql's own
parameters (USERQL_ARGON2_* / Settings defaults: m=19456 KiB, t=2, p=1) for `seconds`,
exactly what userql's hashing pool does per login. bench/run.py runs it under the same
`taskset` CPU list as the server, with the server's hashing-pool size as concurrency.
Prints one JSON line.
"""

import argparse
import json
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import argon2
from seed import BULK_PASSWORD, argon2_hash


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args()

    stored = argon2_hash(BULK_PASSWORD)
    hasher = argon2.PasswordHasher()  # verify reads the parameters from the hash string
    hasher.verify(stored, BULK_PASSWORD)  # warm up
    counts = [0] * args.concurrency
    start = threading.Barrier(args.concurrency + 1)
    deadline = 0.0

    def work(slot: int) -> None:
        start.wait()
        done = 0
        while time.perf_counter() < deadline:
            hasher.verify(stored, BULK_PASSWORD)
            done += 1
        counts[slot] = done

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(args.concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + args.seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    print(
        json.dumps(
            {
                "verifies": sum(counts),
                "seconds": elapsed,
                "rate": sum(counts) / elapsed,
                "concurrency": args.concurrency,
                "cpu_ms_per_verify": 1000 * cpu / max(sum(counts), 1),
                "parameters": stored.split("$")[3],
            }
        )
    )


if __name__ == "__main__":
    main()
