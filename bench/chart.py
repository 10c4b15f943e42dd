"""results.json -> a PNG of throughput and p99 per scenario (run in bench/.venvs/tools).

    python chart.py results.json chart.png

Bars are medians over the interleaved repetitions; the whiskers span min..max.
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = {
    "userql": "#2b6cb0",
    "ceiling": "#718096",
    "peer": "#c05621",
    "argon2": "#2f855a",
    "whatif": "#805ad5",
}


def colour(name: str) -> str:
    if name.startswith("whatif"):
        return COLOURS["whatif"]
    if name.startswith("userql"):
        return COLOURS["userql"]
    if name.startswith(("starlette", "fastapi-me")):
        return COLOURS["ceiling"]
    if name.startswith("fastapi-users"):
        return COLOURS["peer"]
    return COLOURS["argon2"]


def main(source: str, target: str) -> None:
    document = json.loads(Path(source).read_text())
    scenarios = document["scenarios"]
    names = list(scenarios)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 10), constrained_layout=True)

    def bars(axis, metric: str, label: str, log_scale: bool) -> None:
        shown = [n for n in names if scenarios[n]["median"].get(metric) is not None]
        values = [scenarios[n]["median"][metric] for n in shown]
        lows = [
            v - min(r[metric] for r in scenarios[n]["runs"] if r.get(metric) is not None)
            for n, v in zip(shown, values, strict=True)
        ]
        highs = [
            max(r[metric] for r in scenarios[n]["runs"] if r.get(metric) is not None) - v
            for n, v in zip(shown, values, strict=True)
        ]
        positions = range(len(shown))
        axis.barh(
            list(positions), values, xerr=[lows, highs], capsize=3, color=[colour(n) for n in shown]
        )
        axis.set_yticks(list(positions), shown)
        axis.invert_yaxis()
        axis.set_xlabel(label)
        if log_scale:
            axis.set_xscale("log")
        for position, value, high in zip(positions, values, highs, strict=True):
            axis.annotate(
                f"{value:,.1f}",
                (value + high, position),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        axis.grid(axis="x", alpha=0.3)

    bars(top, "rps", "throughput, requests (or verifies) per second — median, log scale", True)
    bars(bottom, "p99_ms", "p99 latency, ms — median, log scale", True)
    top.set_title(
        "grey: ceilings; blue: userql; purple: userql + proposed changes (what-if); "
        "orange: fastapi-users; green: raw argon2",
        fontsize=9,
    )
    settings = document["settings"]
    fig.suptitle(
        f"userql benchmark ({document['mode']}, {settings['repeat']} interleaved repetitions x "
        f"{settings['duration_s']} s, {settings['me_connections']} connections for GET /me, "
        f"{settings['login_connections']} for logins; server CPU {settings['server_cpus']}, "
        f"wrk CPU {settings['load_cpus']}; shared machine)",
        fontsize=10,
    )
    fig.savefig(target, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
