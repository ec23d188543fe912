"""Many backups in one `pulumi up`, through the real engine: this package vs. the stock host.

Time is scaled so a run takes minutes: one minute of the real service is one second here.
A 10-minute backup is Ready after 10 s, the provider's 10 s poll floor becomes 1/6 s, and
a 150 ms API round trip becomes 2.5 ms. "stock" runs the same provider with
PINECONE_BACKUP_HOST_WORKERS=0, i.e. Pulumi's 4-thread host: ceil(N/4) rounds of waiting.

Prints a table, and writes benchmarks/results/results.md and wall_time.png.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pinecone_backup import Backup
from pinecone_backup._base import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT
from pinecone_backup.emulator import EmulatorServer, EmulatorState
from support.engine import install_engine, offline_stack
from support.provider_host import ProviderHost

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

SCALE = 1 / 60
READY_DELAY = 600 * SCALE
LATENCY = 0.150 * SCALE
COUNTS = (1, 10, 50)
INDEX = "bench"
# The engine itself runs at most 4 x CPUs resource operations at once (8 here) unless told more.
ENGINE = {"PULUMI_PARALLEL": "64"}
STOCK_HOST = {"PINECONE_BACKUP_HOST_WORKERS": "0"}
# A project-wide rate limit (scaled: 100/s here is ~1.7 calls/s of the real service).
RATE_LIMIT = 100
RATE_BURST = 20
API_KEY = "bench-key"


@dataclass
class Run:
    label: str
    backups: int
    wall: float
    calls: int
    posts: int
    peak_in_flight: int
    worst_notice: float  # seconds from Ready to the check that saw it, worst backup
    rate_limited: int

    @property
    def calls_per_backup(self) -> float:
        return self.calls / self.backups

    @property
    def polls_per_backup(self) -> float:
        return (self.calls - self.posts - self.rate_limited) / self.backups


def program(count: int) -> None:
    for i in range(count):
        Backup(
            f"b{i}",
            index_name=INDEX,
            name=f"b{i}",
            poll_interval=DEFAULT_POLL_INTERVAL * SCALE,
            ready_timeout=DEFAULT_READY_TIMEOUT * SCALE * 10,
        )


def fresh_service(emulator: EmulatorServer, **faults: float) -> None:
    emulator.state.reset()
    emulator.state.faults.update({"ready_delay": READY_DELAY, "latency": LATENCY, **faults})
    emulator.state.create_index(
        {"name": INDEX, "dimension": 1536, "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
    )
    emulator.state.seed_index(INDEX, record_count=500_000, namespace_count=2)


def worst_notice(emulator: EmulatorServer) -> float:
    log = emulator.state.request_log()
    posts = [entry for entry in log if entry.method == "POST"]
    created = [entry for entry in posts if entry.status == 200]
    worst = 0.0
    for post, backup_id in zip(created, emulator.state.backups, strict=True):
        seen = max(entry.finished for entry in log if entry.path == f"/backups/{backup_id}")
        worst = max(worst, seen - (post.finished + READY_DELAY))
    return worst


def up(label: str, count: int, emulator: EmulatorServer, bin_dir: Path, env: dict[str, str]) -> tuple[Run, dict]:
    with tempfile.TemporaryDirectory(prefix="pinecone-backup-bench-") as state_dir:
        stack = offline_stack(
            "bench",
            "pinecone-backup-bench",
            lambda: program(count),
            pulumi_bin=bin_dir,
            emulator_url=emulator.url,
            state_dir=Path(state_dir),
            api_key=API_KEY,
            env=env,
        )
        started = time.perf_counter()
        stack.up()
        wall = time.perf_counter() - started
        log = emulator.state.request_log()
        run = Run(
            label=label,
            backups=count,
            wall=wall,
            calls=len(log),
            posts=sum(entry.method == "POST" for entry in log),
            peak_in_flight=emulator.state.peak_backups_in_flight(),
            worst_notice=worst_notice(emulator),
            rate_limited=sum(entry.status == 429 for entry in log),
        )
        assert len(emulator.state.backups) == count, "every backup must exist"
        noop = no_op_calls(stack, emulator) if count == 10 and label == "this package" else {}
        stack.destroy()
    return run, noop


def no_op_calls(stack, emulator: EmulatorServer) -> dict[str, int]:
    counts = {}
    for name, action in (("preview", stack.preview), ("up", stack.up), ("refresh", stack.refresh)):
        emulator.state.requests.clear()
        action()
        counts[name] = len(emulator.state.request_log())
    return counts


def host_start_seconds(emulator: EmulatorServer, runs: int = 5) -> float:
    """Launch of `python -m pulumi.dynamic` to its first served call, unpickling included (median)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        host = ProviderHost({**os.environ, "PINECONE_CONTROLLER_HOST": emulator.url})
        host.check({"index_name": INDEX})
        samples.append(time.perf_counter() - started)
        host.close()
    return statistics.median(samples)


def write_plot(runs: list[Run]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    for label, style in (("stock Pulumi host", "o--"), ("this package", "s-")):
        points = [(run.backups, run.wall) for run in runs if run.label == label]
        axes.plot(*zip(*points, strict=True), style, label=label)
    axes.set_xlabel("backups in one `pulumi up`")
    axes.set_ylabel("wall time of `pulumi up` (s; 1 s = 1 real minute)")
    axes.set_title("10-minute backups, real Pulumi engine, emulated Pinecone")
    axes.grid(alpha=0.3)
    axes.legend()
    path = RESULTS / "wall_time.png"
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path


def main() -> None:
    bin_dir = install_engine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    noop: dict[str, int] = {}
    with EmulatorServer(EmulatorState(api_keys=frozenset({API_KEY}))) as emulator:
        for count in COUNTS:
            for label, env in (("this package", ENGINE), ("stock Pulumi host", {**ENGINE, **STOCK_HOST})):
                fresh_service(emulator)
                run, counted = up(label, count, emulator, bin_dir, env)
                noop.update(counted)
                runs.append(run)
                print(f"{label:>18}  N={count:<3} {run.wall:6.1f} s  peak in flight {run.peak_in_flight}", flush=True)
        fresh_service(emulator, rate_limit=RATE_LIMIT, rate_burst=RATE_BURST)
        limited, _ = up("this package, 429s", 50, emulator, bin_dir, ENGINE)
        print(f"{'429s':>18}  N=50  {limited.wall:6.1f} s  429 answers {limited.rate_limited}", flush=True)
        fresh_service(emulator)
        start = host_start_seconds(emulator)

    one = next(run.wall for run in runs if run.label == "this package" and run.backups == 1)
    lines = [
        "| backups | host | wall time (s) | ratio to one backup | API calls / backup | polls / backup "
        "| peak in flight | worst notice after Ready (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in [*runs, limited]:
        lines.append(
            f"| {run.backups} | {run.label} | {run.wall:.1f} | {run.wall / one:.2f} | {run.calls_per_backup:.1f} "
            f"| {run.polls_per_backup:.1f} | {run.peak_in_flight} | {run.worst_notice:.2f} |"
        )
    fault_free_50 = next(run for run in runs if run.label == "this package" and run.backups == 50)
    lines += [
        "",
        f"Scale: 1 s here = 1 real minute; each backup is Ready {READY_DELAY:.0f} s after its create "
        f"(10 real minutes); API latency {LATENCY * 1000:.1f} ms; poll floor {DEFAULT_POLL_INTERVAL * SCALE:.3f} s; "
        "engine run with PULUMI_PARALLEL=64 (its default is 4 x CPUs = 8 here).",
        f"Under a shared rate limit ({RATE_LIMIT} calls/s, burst {RATE_BURST}; the fault-free start asks for "
        f"~{50 / (DEFAULT_POLL_INTERVAL * SCALE):.0f}/s): {limited.rate_limited} answers were 429; "
        f"{limited.calls} calls vs {fault_free_50.calls} without the limit "
        f"= {limited.calls / fault_free_50.calls:.2f}x; every backup Ready.",
        f"No-op calls with 10 backups in state: preview {noop.get('preview')}, up {noop.get('up')}, "
        f"refresh {noop.get('refresh')} (one GET per backup).",
        f"Provider host start, launch to first served call (median of 5): {start:.3f} s.",
    ]
    table = "\n".join(lines)
    (RESULTS / "results.md").write_text(table + "\n")
    print()
    print(table)
    print(f"\nplot: {write_plot([*runs])}")
    engine = subprocess.check_output([bin_dir / "pulumi", "version"], text=True).strip()
    print(f"python {sys.version.split()[0]}, pulumi {engine}, 2 cores, PULUMI_PARALLEL=64")


if __name__ == "__main__":
    main()
