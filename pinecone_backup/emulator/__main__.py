"""`python -m pinecone_backup.emulator --port N`: serve the emulator until interrupted."""

from __future__ import annotations

import argparse
import signal
import threading

from pinecone_backup.emulator.clock import SECONDS_PER_DAY
from pinecone_backup.emulator.server import EmulatorServer
from pinecone_backup.emulator.state import EmulatorState
from pinecone_backup.emulator.versions import OLDEST, SUPPORTED_VERSIONS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pinecone_backup.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument(
        "--api-key", action="append", default=[], help="an accepted API key (repeatable; default: any non-empty key)"
    )
    parser.add_argument("--ready-delay", type=float, default=1.0, help="seconds a backup stays Initializing")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API call")
    parser.add_argument(
        "--day-length",
        type=float,
        default=SECONDS_PER_DAY,
        help="real seconds one day of the backup schedules' calendars lasts (default: a real day)",
    )
    parser.add_argument(
        "--log-size", type=int, default=20_000, help="API calls the request log keeps (the call counts keep all)"
    )
    versionless = parser.add_mutually_exclusive_group()
    versionless.add_argument(
        "--default-api-version",
        choices=SUPPORTED_VERSIONS,
        default=None,
        help=f"serve requests without X-Pinecone-Api-Version in this version (default: {OLDEST}, the oldest, "
        "as the live service serves them in its oldest supported version)",
    )
    versionless.add_argument(
        "--strict-api-version",
        action="store_true",
        help="refuse requests without X-Pinecone-Api-Version with 400, as the specs require the header",
    )
    parser.add_argument(
        "--index",
        action="append",
        default=[],
        metavar="NAME:DIMENSION:RECORDS",
        help="create a serverless index with that many records (repeatable)",
    )
    return parser.parse_args(argv)


def state_from_args(args: argparse.Namespace) -> EmulatorState:
    """The state the options describe, before its indexes are made."""
    state = EmulatorState(
        api_keys=frozenset(args.api_key),
        default_api_version=args.default_api_version,
        strict_api_version=args.strict_api_version,
        log_size=args.log_size,
    )
    state.faults.update({"ready_delay": args.ready_delay, "latency": args.latency, "day_length": args.day_length})
    return state


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    state = state_from_args(args)
    for spec in args.index:
        name, dimension, records = spec.split(":")
        state.create_index(
            {"name": name, "dimension": int(dimension), "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}}}
        )
        state.seed_index(name, record_count=int(records), namespace_count=1)
    server = EmulatorServer(state, port=args.port).start()
    print(f"Pinecone emulator listening on {server.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
