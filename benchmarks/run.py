"""Many backups in one `pulumi up`, through the real engine, against the emulator.

Time is scaled so a run takes seconds: one minute of the real service is one second here. A
10-minute backup is Ready after 10 s, the provider's 10 s poll floor becomes 1/6 s, and a
150 ms API round trip becomes 2.5 ms. The engine is not scaled: its own work (registering,
checkpointing) weighs 60 times more here than against the real service, so a last run at
realistic pacing (3-minute backups, 150 ms calls, the real poll floor) shows the ratio and the
API calls a user gets.

Measured, per run: wall time; backups in flight at once (from each POST to the first answer
that says it is Ready); API calls (counted by the service, without the emulator log's cap);
how late each Ready was seen, as a share of the time waited; the provider host's threads,
memory and CPU; the engine's CPU (`pulumi up` itself: mostly its checkpoints); progress lines.
Then the no-op `preview`/`up` cost per resource against do-nothing resources (through the
Automation API, and through the CLI as users type it), and the checkpoints' cost with
PULUMI_SKIP_CHECKPOINTS. The `plugin-*` sections measure the same Backups through the provider
plugin (`pulumi-resource-pinecone-backup`, declared by type token): its no-op cost against the
dynamic face's, and 1000 backups at realistic pacing, with the state each face keeps per backup.

Prints the tables and writes benchmarks/results/: results.md, results.json and the plots.
`python -m benchmarks.run --quick`: small N only, nothing written (to try changes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import yaml
from pulumi import automation as auto

from benchmarks.baselines import BACKUPS, INDEX, PLUGIN_BACKUP, no_op_programs, plugin_inputs
from benchmarks.service import API_KEY
from pinecone_backup.core.lifecycle import DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT
from pinecone_backup.core.polling import PollSchedule
from support.engine import install_engine, offline_env, offline_stack
from support.provider_host import ProviderHost, process_threads_and_rss

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

SCALE = 1 / 60
READY_DELAY = 600 * SCALE
LATENCY = 0.150 * SCALE
FLOOR = DEFAULT_POLL_INTERVAL * SCALE
COUNTS = (1, 10, 50, 200, 500, 1000)
STOCK_COUNTS = (1, 10)  # Pulumi's 4-thread host: ceil(N/4) rounds of waiting (N=50 took 139 s before)
SKIP_COUNTS = (200, 500, 1000)  # again with PULUMI_SKIP_CHECKPOINTS=true
AUTONAMED = 500  # again with automatic names (each create first looks for its name)
NOOP = 500  # resources in state for the no-op preview / up
NOOP_REPEATS = 3
REALISTIC = 1000
REALISTIC_READY = 180.0
REALISTIC_LATENCY = 0.150
PARALLEL = 1024  # `--parallel`: at least the number of backups (the engine's default is 4 x CPUs)
ENGINE = {"PULUMI_PARALLEL": str(PARALLEL), "PYTHONPATH": str(ROOT)}
STOCK_HOST = {"PINECONE_BACKUP_HOST_WORKERS": "0"}
SKIP_CHECKPOINTS = {"PULUMI_SKIP_CHECKPOINTS": "true"}
# A project-wide rate limit (scaled: 100/s here is ~1.7 calls/s of the real service).
RATE_LIMIT = 100
RATE_BURST = 20
TICK = os.sysconf("SC_CLK_TCK")
PROJECT = "pinecone-backup-bench"
# The plugin `make` installed next to this Python, as a project names it in its Pulumi.yaml.
PLUGIN = "pulumi-resource-pinecone-backup"
PLUGINS = {"providers": [{"name": "pinecone-backup", "path": str(Path(sys.executable).parent)}]}
# What the provider host is, in a process's argv: the dynamic resources' host, or the plugin.
HOSTS = ("pulumi.dynamic", PLUGIN)


# -- the service ------------------------------------------------------------------------------


class Service:
    """benchmarks.service in a process of its own."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.service"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def reset(self, indexes: tuple[str, ...] = (INDEX,), **faults: float) -> None:
        faults = {"ready_delay": READY_DELAY, "latency": LATENCY, **faults}
        self.http.post("/_bench/reset", json={"faults": faults, "indexes": list(indexes)}).raise_for_status()

    def clear(self) -> None:
        self.http.post("/_bench/clear").raise_for_status()

    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = self.http.get("/_bench/report").json()
        return report

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=10)


# -- the processes of an `up` -----------------------------------------------------------------


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return [part.decode(errors="replace") for part in cmdline.read().split(b"\0") if part]


@dataclass
class Processes:
    """Peaks of the provider host and the engine during one command, sampled every 0.2 s."""

    host_threads: int = 0
    host_rss: int = 0
    host_cpu: float = 0.0
    engine_cpu: float = 0.0


@contextmanager
def sampled() -> Iterator[Processes]:
    seen = Processes()
    stop = threading.Event()

    def sample() -> None:
        while True:
            for pid in _descendants(os.getpid()):
                try:
                    argv = _cmdline(pid)
                    if any(Path(part).name in HOSTS for part in argv):
                        threads, rss = process_threads_and_rss(pid)
                        seen.host_threads = max(seen.host_threads, threads)
                        seen.host_rss = max(seen.host_rss, rss)
                        seen.host_cpu = max(seen.host_cpu, _cpu_seconds(pid))
                    elif argv and Path(argv[0]).name == "pulumi" and ("up" in argv or "preview" in argv):
                        seen.engine_cpu = max(seen.engine_cpu, _cpu_seconds(pid))
                except (OSError, ValueError, KeyError):
                    continue  # ended meanwhile
            if stop.wait(0.2):
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def load_average() -> float:
    return os.getloadavg()[0]


# -- programs ---------------------------------------------------------------------------------


def backups(
    count: int, *, floor: float = FLOOR, timeout: float = READY_DELAY * 10, named: bool = True, face: str = "dynamic"
) -> Callable[[], None]:
    """`count` Backups through `face` (`baselines.BACKUPS`): the dynamic resources, or the plugin."""

    def program() -> None:
        BACKUPS[face](count, poll_interval=floor, ready_timeout=timeout, named=named)

    return program


# -- one `up` ---------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    backups: int
    wall: float
    load: float  # 1-minute load average when it started
    calls: int
    posts: int
    listings: int
    describes: int
    rate_limited: int
    peak_in_flight: int
    post_spread: float  # seconds from the first POST to the last
    worst_notice: float  # seconds from Ready to the first answer saying so, worst backup
    worst_notice_share: float  # the same, as a share of the time waited (POST to Ready)
    host_threads: int
    host_rss: int
    host_cpu: float
    engine_cpu: float
    progress_lines: int  # lines of the provider's progress the engine shows
    output_lines: int  # every line of diagnostics the engine shows
    face: str = "dynamic"  # or "plugin": the provider plugin
    state_bytes: int = 0  # of `pulumi stack export` after the `up` (0: not measured)

    @property
    def calls_per_backup(self) -> float:
        return self.calls / self.backups


PROGRESS = ("Created:", "Initializing ", "Ready after ", "waited for,", "Still waiting", "Adopted:")


def measure_up(
    service: Service,
    bin_dir: Path,
    label: str,
    count: int,
    program: Callable[[], None],
    env: dict[str, str],
    face: str = "dynamic",
) -> Run:
    with tempfile.TemporaryDirectory(prefix="pinecone-backup-bench-") as state_dir:
        stack = offline_stack(
            "bench",
            PROJECT,
            program,
            pulumi_bin=bin_dir,
            emulator_url=service.url,
            state_dir=Path(state_dir),
            api_key=API_KEY,
            env={**ENGINE, **env},
        )
        if face == "plugin":
            plug_in(stack)
        messages: list[str] = []

        def hear(event: auto.EngineEvent) -> None:
            diagnostic = event.diagnostic_event
            if diagnostic is not None and diagnostic.severity != "debug":  # what the CLI shows
                messages.append(diagnostic.message)

        load = load_average()
        with sampled() as processes:
            started = time.perf_counter()
            stack.up(on_event=hear)
            wall = time.perf_counter() - started
        run = summarize(label, count, wall, load, service.report(), processes, messages)
        return replace(run, face=face, state_bytes=exported_bytes(stack, bin_dir))


def plug_in(stack: auto.Stack) -> None:
    """The stack's project through the plugin: its Pulumi.yaml names the plugin's directory (the
    Automation API's project settings have no `plugins`), its config the plugin's API key."""
    settings_file = Path(stack.workspace.work_dir) / "Pulumi.yaml"
    settings = yaml.safe_load(settings_file.read_text())
    settings_file.write_text(yaml.safe_dump({**settings, "plugins": PLUGINS}, sort_keys=False))
    stack.set_config("pinecone-backup:apiKey", auto.ConfigValue(API_KEY, secret=True))


def exported_bytes(stack: auto.Stack, bin_dir: Path) -> int:
    """Size of `pulumi stack export` (secrets encrypted, as stored): the state each checkpoint rewrites."""
    exported = subprocess.run(
        [bin_dir / "pulumi", "stack", "export", "--stack", stack.name, "--non-interactive"],
        cwd=stack.workspace.work_dir,
        env={**os.environ, **stack.workspace.env_vars},
        check=True,
        capture_output=True,
    )
    return len(exported.stdout)


def summarize(
    label: str, count: int, wall: float, load: float, report: dict[str, Any], processes: Processes, messages: list[str]
) -> Run:
    counts: dict[str, int] = report["counts"]
    waits = list(report["backups"].values())
    assert len(waits) == count, f"{label}: {len(waits)} backups made, {count} declared"
    assert all(wait["noticed"] is not None for wait in waits), f"{label}: a backup was never seen Ready"
    moments = sorted([(wait["posted"], 1) for wait in waits] + [(wait["noticed"], -1) for wait in waits])
    running = peak = 0
    for _, step in moments:
        running += step
        peak = max(peak, running)
    posts = [wait["posted"] for wait in waits]
    late = [(wait["noticed"] - wait["ready"], wait["ready"] - wait["posted"]) for wait in waits]
    lines = [line for message in messages for line in message.splitlines()]
    return Run(
        label=label,
        backups=count,
        wall=wall,
        load=load,
        calls=sum(counts.values()),
        posts=counts.get("POST /indexes/{name}/backups", 0),
        listings=counts.get("GET /indexes/{name}/backups", 0) + counts.get("GET /backups", 0),
        describes=counts.get("GET /backups/{id}", 0),
        rate_limited=int(report["statuses"].get("429", 0)),
        peak_in_flight=peak,
        post_spread=max(posts) - min(posts),
        worst_notice=max(delay for delay, _ in late),
        worst_notice_share=max(delay / waited for delay, waited in late),
        host_threads=processes.host_threads,
        host_rss=processes.host_rss,
        host_cpu=processes.host_cpu,
        engine_cpu=processes.engine_cpu,
        progress_lines=sum(any(mark in line for mark in PROGRESS) for line in lines),
        output_lines=len(lines),
    )


# -- no-op preview and up ---------------------------------------------------------------------


@dataclass
class NoOp:
    kind: str
    resources: int
    preview: float  # median seconds
    up: float
    preview_engine_cpu: float
    up_engine_cpu: float
    preview_host_cpu: float
    up_host_cpu: float
    preview_program_cpu: float  # the inline program runs in this process (the Automation API)
    up_program_cpu: float
    api_calls: int  # during every no-op preview and up
    load: float

    def cpu(self, command: str) -> float:
        """CPU-seconds of the engine, the provider host and the program: steadier than wall time
        on a machine others use."""
        return sum(getattr(self, f"{command}_{part}_cpu") for part in ("engine", "host", "program"))


def measure_no_op(
    service: Service, bin_dir: Path, kind: str, count: int, program: Callable[[], None], repeats: int
) -> NoOp:
    service.reset(ready_delay=0.05)
    with tempfile.TemporaryDirectory(prefix="pinecone-backup-bench-") as state_dir:
        stack = offline_stack(
            "noop",
            PROJECT,
            program,
            pulumi_bin=bin_dir,
            emulator_url=service.url,
            state_dir=Path(state_dir),
            api_key=API_KEY,
            env=ENGINE,
        )
        stack.up()
        service.clear()
        load = load_average()
        samples: dict[str, list[tuple[float, float, float, float]]] = {"preview": [], "up": []}
        for _ in range(repeats):
            for command in ("preview", "up"):
                program_cpu = _cpu()
                with sampled() as processes:
                    started = time.perf_counter()
                    result = stack.preview() if command == "preview" else stack.up()
                    wall = time.perf_counter() - started
                program_cpu = _cpu() - program_cpu
                samples[command].append((wall, processes.engine_cpu, processes.host_cpu, program_cpu))
                changes = result.change_summary if command == "preview" else result.summary.resource_changes
                assert set(changes or {}) <= {"same"}, changes
        calls = sum(service.report()["counts"].values())
    preview, up = ([statistics.median(column) for column in zip(*samples[key], strict=True)] for key in samples)
    return NoOp(kind, count, preview[0], up[0], preview[1], up[1], preview[2], up[2], preview[3], up[3], calls, load)


@dataclass
class CliNoOp:
    """A no-op through the CLI, as users type it: `pulumi preview`, and `pulumi up --yes`, which
    previews first (the Automation API's `up` does not)."""

    kind: str
    resources: int
    preview: float  # median seconds
    up: float
    preview_cpu: float  # every process of the command: the CLI, the language host, the program, the provider host
    up_cpu: float
    api_calls: int
    load: float


CLI_PROGRAM = "from benchmarks.baselines import no_op_programs\n\nno_op_programs({count})[{kind!r}]()\n"
PLUGIN_PROGRAM = (
    "from benchmarks.baselines import plugin_backups\n\nplugin_backups({count}, poll_interval=0.05, ready_timeout=60)\n"
)
Files = dict[str, str]  # a project's files: name -> text


def python_project(program: str, **settings: Any) -> Files:
    """A Python project whose `__main__.py` is `program`, run by this virtualenv's Python."""
    runtime = {"name": "python", "options": {"virtualenv": sys.prefix}}
    project = {"name": PROJECT, "runtime": runtime, **settings}
    return {"Pulumi.yaml": yaml.safe_dump(project, sort_keys=False), "__main__.py": program}


def yaml_plugin_project(count: int) -> Files:
    """`count` Backups through the plugin in a Pulumi YAML program: no Python program at all, the
    YAML language host declares them. The program is in Main.yaml, beside the project file: the
    plugin reads Pulumi.yaml at each check (for the stack's key material), so a program of 500
    resources inside it (as examples/yaml keeps its 3) costs 0.3-0.5 s of parsing per resource."""
    backups = {f"b{i}": {"type": PLUGIN_BACKUP, "properties": plugin_inputs(f"b{i}", 0.05, 60)} for i in range(count)}
    project = {"name": PROJECT, "runtime": "yaml", "plugins": PLUGINS}
    return {
        "Pulumi.yaml": yaml.safe_dump(project, sort_keys=False),
        "Main.yaml": yaml.safe_dump({"resources": backups}, sort_keys=False),
    }


def dynamic_cli_projects(count: int) -> dict[str, Files]:
    """The CLI no-op table's kinds: `no_op_programs`, each from a project's `__main__.py`."""
    return {kind: python_project(CLI_PROGRAM.format(count=count, kind=kind)) for kind in no_op_programs(count)}


def plugin_cli_projects(count: int) -> dict[str, Files]:
    """The plugin's Backups, from a YAML and from a Python program, against the do-nothing
    dynamic resources and the dynamic Backups, measured in one run."""
    dynamic = dynamic_cli_projects(count)
    return {
        "plugin Backup, YAML program": yaml_plugin_project(count),
        "plugin Backup, Python program": python_project(PLUGIN_PROGRAM.format(count=count), plugins=PLUGINS),
        "dynamic Backup": dynamic["Backup"],
        "do-nothing dynamic": dynamic["do-nothing dynamic"],
    }


def measure_no_ops_cli(
    service: Service, bin_dir: Path, projects: dict[str, Files], count: int, repeats: int
) -> list[CliNoOp]:
    """Each kind in a project (`projects`: its files) and stack of its own; the kinds take turns in
    every repeat, so a change in the machine's load falls on all of them alike."""
    service.reset(ready_delay=0.05)
    kinds = list(projects)
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {kind: {"preview": [], "up": []} for kind in kinds}
    loads: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pinecone-backup-bench-") as work:
        env = {**os.environ, **offline_env(bin_dir, service.url, Path(work)), **ENGINE, "PINECONE_API_KEY": API_KEY}
        del env["PULUMI_PYTHON_CMD"]  # the project's virtualenv names the interpreter, as in the examples

        directories = {kind: Path(work) / f"project-{number}" for number, kind in enumerate(kinds)}

        def pulumi(kind: str, *args: str) -> tuple[float, float]:
            """Wall and CPU seconds of `pulumi ARGS` in the kind's project, and of every process it waited for."""
            cpu, started = _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
            done = subprocess.run(
                [bin_dir / "pulumi", *args, "--non-interactive"],
                cwd=directories[kind],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
            return time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu

        for number, (kind, directory) in enumerate(directories.items()):
            directory.mkdir()
            for name, text in projects[kind].items():
                (directory / name).write_text(text)
            pulumi(kind, "stack", "init", f"noop-{number}")
            pulumi(kind, "up", "--yes", "--skip-preview")
        service.clear()
        for _ in range(repeats):
            for kind in kinds:
                loads.setdefault(kind, load_average())
                samples[kind]["preview"].append(pulumi(kind, "preview", "--expect-no-changes"))
                samples[kind]["up"].append(pulumi(kind, "up", "--yes", "--expect-no-changes"))
        calls = sum(service.report()["counts"].values())  # all kinds together: 0 is the claim
    measured = []
    for kind in kinds:
        preview, up = (
            [statistics.median(column) for column in zip(*samples[kind][command], strict=True)]
            for command in ("preview", "up")
        )
        measured.append(CliNoOp(kind, count, preview[0], up[0], preview[1], up[1], calls, loads[kind]))
    return measured


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU-seconds of this process, or (RUSAGE_CHILDREN) of the processes it waited for."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


# -- realistic pacing -------------------------------------------------------------------------


def checks_alone(ready_at: float, floor: float, jitter: float) -> int:
    """Describes one backup waiting alone makes until it is seen Ready (the schedule of _polling)."""
    schedule, now, checks = PollSchedule(floor, math.inf), 0.0, 0
    while now < ready_at:
        now += schedule.pause_after(now, jitter)
        checks += 1
    return checks


def host_start_seconds(service: Service, runs: int = 5) -> float:
    """Launch of `python -m pulumi.dynamic` to its first served call, unpickling included (median)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        host = ProviderHost({**os.environ, "PINECONE_CONTROLLER_HOST": service.url})
        host.check({"index_name": INDEX})
        samples.append(time.perf_counter() - started)
        host.close()
    return statistics.median(samples)


# -- the report -------------------------------------------------------------------------------


def mb(size: int) -> str:
    return f"{size / 2**20:.0f}"


def tables(results: dict[str, Any]) -> str:
    runs = [Run(**run) for run in results["runs"]]
    noops = [NoOp(**noop) for noop in results["noops"]]
    realistic = [Run(**run) for run in results["realistic"]]
    ours = {run.backups: run for run in runs if run.label == "this package"}
    one = ours[1]
    lines = [
        "## Many backups in one `pulumi up` (1 s here = 1 real minute)",
        "",
        "| backups | run | wall (s) | ratio to one backup | peak in flight | POST spread (s) | API calls / backup "
        "| listing / describe calls | worst notice after Ready (s, share of wait) | host threads | host RSS (MB) "
        "| host CPU (s) | engine CPU (s) | progress lines | load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run.backups} | {run.label} | {run.wall:.1f} | {run.wall / one.wall:.2f} | {run.peak_in_flight} "
            f"| {run.post_spread:.1f} | {run.calls_per_backup:.2f} | {run.listings} / {run.describes} "
            f"| {run.worst_notice:.2f} ({run.worst_notice_share:.1%}) | {run.host_threads} | {mb(run.host_rss)} "
            f"| {run.host_cpu:.1f} | {run.engine_cpu:.1f} | {run.progress_lines} | {run.load:.1f} |"
        )
    most = max(runs, key=lambda run: run.host_threads)
    per_thread = (most.host_rss - one.host_rss) / max(1, most.host_threads - one.host_threads)
    lines += [
        "",
        f"Provider host: {one.host_threads} threads and {mb(one.host_rss)} MB with one backup; "
        f"{most.host_threads} threads and {mb(most.host_rss)} MB with {most.peak_in_flight} backups in flight "
        f"({most.label}, N={most.backups}): {per_thread / 1024:.0f} KB per waiting backup (its parked gRPC "
        "worker thread and its wait).",
        f"Scale: each backup is Ready {READY_DELAY:.0f} s after its create (10 real minutes); API latency "
        f"{LATENCY * 1000:.1f} ms; poll floor {FLOOR:.3f} s; PULUMI_PARALLEL={PARALLEL}. Before this change each "
        "backup made 22 status checks of its own at this scale (23 calls with its POST). The schedule's bound "
        f"for noticing Ready is 10% of the wait plus the poll floor: {0.1 + FLOOR / READY_DELAY:.1%} here.",
    ]
    skipped = {run.backups: run for run in runs if run.label == "skip checkpoints"}
    if skipped:
        lines += [
            "",
            "## The engine's checkpoints (file backend)",
            "",
            "| backups | engine CPU (s) | engine CPU, PULUMI_SKIP_CHECKPOINTS (s) | wall (s) | wall, skipped (s) |",
            "|---:|---:|---:|---:|---:|",
        ]
        for count, run in sorted(skipped.items()):
            lines.append(
                f"| {count} | {ours[count].engine_cpu:.1f} | {run.engine_cpu:.1f} | {ours[count].wall:.1f} "
                f"| {run.wall:.1f} |"
            )
    if noops:
        nothing = next(noop for noop in noops if noop.kind == "do-nothing dynamic")
        lines += [
            "",
            f"## No-op `preview` and `up` with {NOOP} resources in state (median of {NOOP_REPEATS})",
            "",
            "| resources | preview (s) | up (s) | per resource, preview / up (ms) | ratio to do-nothing dynamic, "
            "preview / up | CPU (s) of engine / provider host / program, preview | the same, up "
            "| CPU ratio to do-nothing dynamic, preview / up | API calls | load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for noop in noops:
            lines.append(
                f"| {noop.resources} {noop.kind} | {noop.preview:.2f} | {noop.up:.2f} "
                f"| {noop.preview / noop.resources * 1000:.1f} / {noop.up / noop.resources * 1000:.1f} "
                f"| {noop.preview / nothing.preview:.2f} / {noop.up / nothing.up:.2f} "
                f"| {noop.preview_engine_cpu:.1f} / {noop.preview_host_cpu:.1f} / {noop.preview_program_cpu:.1f} "
                f"| {noop.up_engine_cpu:.1f} / {noop.up_host_cpu:.1f} / {noop.up_program_cpu:.1f} "
                f"| {noop.cpu('preview') / nothing.cpu('preview'):.2f} / {noop.cpu('up') / nothing.cpu('up'):.2f} "
                f"| {noop.api_calls} | {noop.load:.1f} |"
            )
    cli_noops = [CliNoOp(**noop) for noop in results.get("noops_cli", [])]
    if cli_noops:
        lines += [
            "",
            f"## The same no-ops through the CLI: `pulumi preview`, `pulumi up --yes` (median of {NOOP_REPEATS})",
            "",
            "The program is a project's `__main__.py`, run by the language host; `up` previews first. The "
            "kinds take turns in each repeat; the API calls are those of all of them.",
            "",
            *cli_noop_table(cli_noops),
        ]
    plugin_noops = [CliNoOp(**noop) for noop in results.get("noops_plugin", [])]
    if plugin_noops:
        lines += [
            "",
            f"## The provider plugin's no-ops through the CLI (median of {NOOP_REPEATS})",
            "",
            f"Backups through `{PLUGIN}` (declared by type token: in a YAML program, which the YAML language "
            "host runs, no Python program at all; and with `pulumi.CustomResource` in a Python program), against "
            "do-nothing dynamic resources and the dynamic Backups, in one run: the kinds take turns in each "
            "repeat, as above.",
            "",
            *cli_noop_table(plugin_noops),
        ]
    if realistic:
        alone = statistics.mean(checks_alone(REALISTIC_READY, DEFAULT_POLL_INTERVAL, j) for j in (0.0, 0.5, 1.0))
        bound = 0.1 + DEFAULT_POLL_INTERVAL / REALISTIC_READY
        lines += [
            "",
            "## Realistic pacing (no time scale)",
            "",
            f"Each backup Ready {REALISTIC_READY:.0f} s after its create, API latency "
            f"{REALISTIC_LATENCY * 1000:.0f} ms, poll floor {DEFAULT_POLL_INTERVAL:.0f} s. The ratio is to one "
            f"backup alone through the same face (a row of 1 backup; describing itself, it makes "
            f"~{alone:.0f} status checks); the bound for noticing Ready is {bound:.1%} of the wait. State: the "
            "bytes of `pulumi stack export` after the `up`, per backup (the dynamic face keeps a pickled provider "
            "in each resource's state).",
            "",
            *realistic_table(realistic),
        ]
    lines += ["", f"Host start, launch to first served call (median of 5): {results['host_start']:.3f} s.", ""]
    lines += results["machine"]
    return "\n".join(lines)


def cli_noop_table(noops: list[CliNoOp]) -> list[str]:
    nothing = next(noop for noop in noops if noop.kind == "do-nothing dynamic")
    lines = [
        "| resources | preview (s) | up (s) | ratio to do-nothing dynamic, preview / up "
        "| CPU (s) of all processes, preview / up | CPU ratio to do-nothing dynamic, preview / up "
        "| API calls | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for noop in noops:
        lines.append(
            f"| {noop.resources} {noop.kind} | {noop.preview:.2f} | {noop.up:.2f} "
            f"| {noop.preview / nothing.preview:.2f} / {noop.up / nothing.up:.2f} "
            f"| {noop.preview_cpu:.1f} / {noop.up_cpu:.1f} "
            f"| {noop.preview_cpu / nothing.preview_cpu:.2f} / {noop.up_cpu / nothing.up_cpu:.2f} "
            f"| {noop.api_calls} | {noop.load:.1f} |"
        )
    return lines


def realistic_table(realistic: list[Run]) -> list[str]:
    """Each run against one backup through the same face ("-" until that is measured)."""
    one = {run.face: run.wall for run in realistic if run.backups == 1}
    lines = [
        "| backups | run | wall (s) | ratio to one backup | peak in flight | POST spread (s) | API calls / backup "
        "| listing / describe calls | worst notice after Ready (s, share of wait) | host threads | host RSS (MB) "
        "| engine CPU (s) | state / backup (bytes) | progress lines | load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in sorted(realistic, key=lambda run: (run.face, run.backups)):
        ratio = f"{run.wall / one[run.face]:.2f}" if run.face in one else "-"
        state = f"{run.state_bytes / run.backups:.0f}" if run.state_bytes else "-"
        lines.append(
            f"| {run.backups} | {run.label} | {run.wall:.0f} | {ratio} "
            f"| {run.peak_in_flight} | {run.post_spread:.0f} | {run.calls_per_backup:.2f} "
            f"| {run.listings} / {run.describes} | {run.worst_notice:.1f} ({run.worst_notice_share:.1%}) "
            f"| {run.host_threads} | {mb(run.host_rss)} | {run.engine_cpu:.1f} | {state} | {run.progress_lines} "
            f"| {run.load:.1f} |"
        )
    return lines


def write_plots(runs: list[Run], noops: list[NoOp]) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def series(label: str, value: Callable[[Run], float]) -> tuple[list[int], list[float]]:
        chosen = sorted((run.backups, value(run)) for run in runs if run.label == label)
        return [count for count, _ in chosen], [point for _, point in chosen]

    paths = []

    def save(figure: Any, name: str) -> None:
        path = RESULTS / name
        figure.tight_layout()
        figure.savefig(path, dpi=110)
        plt.close(figure)
        paths.append(path)

    labels = (("this package", "s-"), ("stock Pulumi host", "o--"), ("skip checkpoints", "^:"))
    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    for label, style in labels:
        xs, ys = series(label, lambda run: run.wall)
        if xs:
            axes.plot(xs, ys, style, label=label)
    axes.set_xscale("log")
    axes.set_xlabel("backups in one `pulumi up`")
    axes.set_ylabel("wall time (s; 1 s = 1 real minute)")
    axes.set_title("10-minute backups, real Pulumi engine, emulated Pinecone")
    axes.grid(alpha=0.3)
    axes.legend()
    save(figure, "wall_time.png")

    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    xs, ys = series("this package", lambda run: run.calls_per_backup)
    axes.plot(xs, ys, "s-", label="this package (shared listings)")
    xs, ys = series("skip checkpoints", lambda run: run.calls_per_backup)
    axes.plot(xs, ys, "^:", label="the same, PULUMI_SKIP_CHECKPOINTS")
    axes.axhline(23, linestyle="--", color="grey", label="before: each backup describes itself (23)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("backups in one `pulumi up`")
    axes.set_ylabel("API calls per backup (POST included)")
    axes.grid(alpha=0.3)
    axes.legend()
    save(figure, "calls_per_backup.png")

    figure, left = plt.subplots(figsize=(6.4, 4.2))
    waiting = sorted(
        (run.peak_in_flight, run.host_rss / 2**20, run.host_threads)
        for run in runs
        if run.label in ("this package", "skip checkpoints")
    )
    left.plot([w[0] for w in waiting], [w[1] for w in waiting], "s-", color="tab:blue", label="RSS (MB)")
    left.set_xlabel("backups in flight at once (this package, with and without checkpoints)")
    left.set_ylabel("provider host RSS (MB)", color="tab:blue")
    right = left.twinx()
    right.plot([w[0] for w in waiting], [w[2] for w in waiting], "o--", color="tab:orange", label="threads")
    right.set_ylabel("provider host threads", color="tab:orange")
    left.set_title("The provider host while the backups wait")
    left.grid(alpha=0.3)
    save(figure, "host_threads_memory.png")

    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    for label, style in (("this package", "s-"), ("skip checkpoints", "^:")):
        xs, ys = series(label, lambda run: run.engine_cpu)
        if xs:
            axes.plot(xs, ys, style, label=f"engine CPU, {label}")
    axes.set_xlabel("backups in one `pulumi up`")
    axes.set_ylabel("CPU seconds of `pulumi up` (the engine)")
    axes.set_title("The file backend's checkpoints grow with N squared")
    axes.grid(alpha=0.3)
    axes.legend()
    save(figure, "engine_cpu.png")

    if noops:
        figure, axes = plt.subplots(figsize=(6.4, 4.2))
        names = [noop.kind for noop in noops]
        width = 0.38
        positions = range(len(noops))
        previews = [noop.preview / noop.resources * 1000 for noop in noops]
        ups = [noop.up / noop.resources * 1000 for noop in noops]
        axes.bar([p - width / 2 for p in positions], previews, width, label="preview")
        axes.bar([p + width / 2 for p in positions], ups, width, label="up")
        axes.set_xticks(list(positions), names)
        axes.set_ylabel(f"ms per resource, no-op, {NOOP} in state")
        axes.set_title("What a resource costs when nothing changes")
        axes.grid(alpha=0.3, axis="y")
        axes.legend()
        save(figure, "noop_overhead.png")
    return paths


SECTIONS = (
    "scaled",
    "stock",
    "skip",
    "autonamed",
    "429",
    "noop",
    "noop-cli",
    "realistic",
    "realistic-skip",
    "plugin-noop",
    "plugin-realistic",
    "plugin-realistic-skip",
)


def remeasured(line: str, sections: list[str]) -> str | None:
    """An earlier run's machine line, with the sections measured again marked as replaced; None
    once all of its sections were."""
    listed, _, rest = line.partition(":")
    names = listed.removeprefix("Sections ").split(", ")
    marked = [
        name if name.endswith(")") or name not in sections else f"{name} (replaced by a run below)" for name in names
    ]
    if all(name.endswith(")") for name in marked):
        return None
    return f"Sections {', '.join(marked)}:{rest}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N only; nothing written")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="measure these sections again, into the saved results"
    )
    parser.add_argument("--render", action="store_true", help="write results.md and the plots from results.json")
    args = parser.parse_args()
    saved = RESULTS / "results.json"
    if args.render:
        render(json.loads(saved.read_text()))
        return
    sections = args.only or list(SECTIONS)
    results: dict[str, Any] = {"runs": [], "noops": [], "realistic": [], "machine": []}
    if args.only:
        results = json.loads(saved.read_text())
        results["machine"] = [kept for line in results["machine"] if (kept := remeasured(line, sections))]

    bin_dir = install_engine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    uptime_before = subprocess.check_output(["uptime"], text=True).strip()
    began = time.perf_counter()
    service = Service()

    def record(key: str, run: Run) -> None:
        results[key] = [old for old in results[key] if (old["label"], old["backups"]) != (run.label, run.backups)]
        results[key].append(asdict(run))
        print(
            f"{run.label:>22}  N={run.backups:<5} {run.wall:7.1f} s  in flight {run.peak_in_flight:<5} "
            f"calls/backup {run.calls_per_backup:6.2f}  notice {run.worst_notice_share:6.1%}  "
            f"host {run.host_threads} threads {mb(run.host_rss)} MB  engine CPU {run.engine_cpu:.1f} s  "
            f"state {run.state_bytes / run.backups:.0f} B/backup  load {run.load:.1f}",
            flush=True,
        )

    def scaled(label: str, count: int, env: dict[str, str], **program: Any) -> None:
        service.reset()
        record("runs", measure_up(service, bin_dir, label, count, backups(count, **program), env))

    def realistic(label: str, count: int, env: dict[str, str], face: str = "dynamic") -> None:
        service.reset(ready_delay=REALISTIC_READY, latency=REALISTIC_LATENCY)
        program = backups(count, floor=DEFAULT_POLL_INTERVAL, timeout=DEFAULT_READY_TIMEOUT, face=face)
        record("realistic", measure_up(service, bin_dir, label, count, program, env, face))
        results.pop("one_realistic_wall", None)  # one backup alone was a number of its own before

    def no_ops_cli(key: str, projects: dict[str, Files]) -> None:
        results[key] = []
        for cli_noop in measure_no_ops_cli(service, bin_dir, projects, in_state, 1 if quick else NOOP_REPEATS):
            results[key].append(asdict(cli_noop))
            print(
                f"{'no-op CLI ' + cli_noop.kind:>22}  N={in_state:<5} preview {cli_noop.preview:.2f} s  "
                f"up {cli_noop.up:.2f} s  API calls {cli_noop.api_calls}",
                flush=True,
            )

    quick = args.quick
    in_state = 50 if quick else NOOP  # resources of each no-op stack
    try:
        if "scaled" in sections:
            for count in (1, 10, 50) if quick else COUNTS:
                scaled("this package", count, {})
        if "stock" in sections:
            for count in STOCK_COUNTS:
                scaled("stock Pulumi host", count, STOCK_HOST)
        if "skip" in sections:
            for count in (50,) if quick else SKIP_COUNTS:
                scaled("skip checkpoints", count, SKIP_CHECKPOINTS)
        if "autonamed" in sections:
            scaled("automatic names", 50 if quick else AUTONAMED, {}, named=False)
        if "429" in sections:
            service.reset(rate_limit=RATE_LIMIT, rate_burst=RATE_BURST)
            record("runs", measure_up(service, bin_dir, "429s", 50, backups(50), {}))
        if "noop" in sections:
            results["noops"] = []
            for kind, program in no_op_programs(in_state).items():
                noop = measure_no_op(service, bin_dir, kind, in_state, program, 1 if quick else NOOP_REPEATS)
                results["noops"].append(asdict(noop))
                print(
                    f"{'no-op ' + kind:>22}  N={in_state:<5} preview {noop.preview:.2f} s  up {noop.up:.2f} s  "
                    f"API calls {noop.api_calls}",
                    flush=True,
                )
        if "noop-cli" in sections:
            no_ops_cli("noops_cli", dynamic_cli_projects(in_state))
        if "plugin-noop" in sections:
            no_ops_cli("noops_plugin", plugin_cli_projects(in_state))
        if "realistic" in sections and not quick:
            realistic("realistic pacing", 1, {})
            realistic("realistic pacing", REALISTIC, {})
        if "realistic-skip" in sections and not quick:
            realistic("realistic, skip checkpoints", REALISTIC, SKIP_CHECKPOINTS)
        if "plugin-realistic" in sections and not quick:
            realistic("plugin, realistic pacing", 1, {}, "plugin")
            realistic("plugin, realistic pacing", REALISTIC, {}, "plugin")
        if "plugin-realistic-skip" in sections and not quick:
            realistic("plugin, realistic, skip checkpoints", REALISTIC, SKIP_CHECKPOINTS, "plugin")
        service.reset()
        results["host_start"] = host_start_seconds(service)
    finally:
        service.close()

    engine = subprocess.check_output([bin_dir / "pulumi", "version"], text=True).strip()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = children.ru_utime + children.ru_stime
    results["machine"].append(
        f"Sections {', '.join(sections)}: {os.cpu_count()} cores, python {sys.version.split()[0]}, pulumi {engine}. "
        f"Load before: `{uptime_before}`; after: `{subprocess.check_output(['uptime'], text=True).strip()}` "
        "(other work ran on this machine meanwhile: the load column is the 1-minute average as each run began). "
        f"They took {(time.perf_counter() - began) / 60:.0f} min; their child processes used {child_cpu:.0f} "
        "CPU-seconds."
    )
    if quick:
        print(tables(results))
        return
    saved.write_text(json.dumps(results, indent=1) + "\n")
    render(results)


def render(results: dict[str, Any]) -> None:
    report = tables(results)
    print(report)
    (RESULTS / "results.md").write_text(f"# Benchmark results (`make bench`)\n\n{report}\n")
    runs = [Run(**run) for run in results["runs"]]
    for path in write_plots(runs, [NoOp(**noop) for noop in results["noops"]]):
        print(f"plot: {path}")


if __name__ == "__main__":
    main()
