"""The load generator of `make bench` and `make soak`: Apache's `ab`, one process per path.

wrk drove the benchmark until 2026-12-05, and its latencies are wrong when the server
closes the connection after each answer, as gunicorn's sync workers do. In the run of
2026-12-05 11:33 UTC it gave the minimal view a p95 of 1,120 ms at 1,341 requests a
second over 8 connections: 5 % of 6,705 requests taking over a second needs 375
connection-seconds, in a measurement that had 40 (8 connections for 5 s). Its numbers
held together only for the routes slower than about 10 ms. ab times each request
itself, from opening its connection to reading its last byte, and every measure is
checked the same way (`Measure.occupancy`: the share of the connections' time spent
waiting for an answer, which cannot exceed 1).

Several paths share the connections: each path has its own ab process with its share
of them; when there are more paths than connections, each connection goes through its
share of the paths one second at a time.

Through the proxy, which keeps connections open, wrk measures (`kept_open`): there its
latencies hold together, while ab's HTTP/1.0 requests kept open through Caddy wait
about 40 ms each for an acknowledgement (the minimal view at one connection: 20
requests a second through Caddy with ab, hundreds with wrk).
"""

import json
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

REPORT_SCRIPT = Path(__file__).resolve().parent / "report.lua"
# ab sizes its table of timings on the request limit, even when stopped by time.
MAX_REQUESTS = 2_000_000


@dataclass
class Measure:
    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    not_ok: int  # answers whose status is not 2xx
    socket_errors: int  # connections refused, reset or timed out
    occupancy: float = 0.0  # mean latency × requests per second / connections
    load: float = 0.0  # the machine's load average (1 minute) when it ended


@dataclass
class Run:
    """What one ab process measured: its counts and its 101 percentiles (0 to 100 %)."""

    requests: int
    not_ok: int
    socket_errors: int
    percentiles: list[float]


def measure(
    base: str,
    paths: list[str],
    *,
    connections: int,
    duration: int,
    headers: dict | None = None,
) -> Measure:
    """`paths` asked for `duration` seconds by `connections` clients waiting for each answer."""
    slots = _slots(paths, connections)
    runs: list[Run] = []
    lock = threading.Lock()

    def drive(slot_paths: list[str], clients: int) -> None:
        deadline = time.monotonic() + duration
        seconds = duration if len(slot_paths) == 1 else 1
        for path in cycle(slot_paths):
            run = _ab(base + path, clients, seconds, headers or {})
            with lock:
                runs.append(run)
            if time.monotonic() >= deadline - 0.5:
                return

    started = time.monotonic()
    threads = [threading.Thread(target=drive, args=slot) for slot in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return combined(runs, elapsed=elapsed, connections=connections)


def _slots(paths: list[str], connections: int) -> list[tuple[list[str], int]]:
    """(paths, clients) for each ab process running at once."""
    if len(paths) <= connections:
        shares = [connections // len(paths)] * len(paths)
        for i in range(connections % len(paths)):
            shares[i] += 1
        return [([path], share) for path, share in zip(paths, shares, strict=True)]
    return [(paths[i::connections], 1) for i in range(connections)]


def combined(runs: list[Run], *, elapsed: float, connections: int) -> Measure:
    """One measure from several runs: each percentile of a run stands for 1 % of its requests."""
    requests = sum(run.requests for run in runs)
    samples = sorted(
        (value, run.requests / 100) for run in runs if run.requests for value in run.percentiles[1:]
    )
    total = sum(weight for _, weight in samples)
    timed = sum(run.requests for run in runs if run.requests)
    mean = (
        sum(run.requests * _mean(run.percentiles, run.requests) for run in runs if run.requests)
        / timed
        if timed
        else 0.0
    )
    rps = requests / elapsed if elapsed else 0.0
    return Measure(
        rps=rps,
        p50=_percentile(samples, total, 50),
        p95=_percentile(samples, total, 95),
        p99=_percentile(samples, total, 99),
        requests=requests,
        not_ok=sum(run.not_ok for run in runs),
        socket_errors=sum(run.socket_errors for run in runs),
        occupancy=mean / 1000 * rps / connections,
    )


def _mean(percentiles: list[float], requests: int) -> float:
    """The mean of a run from its percentiles: each 1 % between two of them up to the
    99th, then the slowest request for itself and the 99th for the rest of the last 1 %."""
    below = percentiles[:100]
    spread = sum((low + high) / 2 for low, high in zip(below, below[1:], strict=False)) / 100
    slowest = min(1 / requests, 0.01)
    return spread + percentiles[99] * (0.01 - slowest) + percentiles[100] * slowest


def _percentile(samples: list[tuple[float, float]], total: float, share: float) -> float:
    reached = 0.0
    for value, weight in samples:
        reached += weight
        if reached >= total * share / 100 - 1e-9:
            return value
    return samples[-1][0] if samples else 0.0


def _ab(url: str, clients: int, seconds: int, headers: dict) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "percentiles.csv"
        command = ["ab", "-q", "-r", "-c", str(clients), "-t", str(seconds)]
        command += ["-n", str(MAX_REQUESTS), "-e", str(table)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
        return parsed(output, table.read_text() if table.exists() else "")


def parsed(output: str, table: str) -> Run:
    """ab's report and its table of percentiles (`-e`)."""
    requests = _number(output, r"Complete requests:\s+(\d+)")
    failures = re.search(
        r"\(Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)\)", output
    )
    # A "Length" failure is only an answer of another size than the first: not an error.
    socket_errors = sum(int(n) for n in failures.groups()) if failures else 0
    percentiles = [float(line.split(",")[1]) for line in table.splitlines()[1:] if line]
    return Run(
        requests=requests,
        not_ok=_number(output, r"Non-2xx responses:\s+(\d+)"),
        socket_errors=socket_errors,
        percentiles=percentiles if len(percentiles) == 101 else [0.0] * 101,
    )


def _number(output: str, pattern: str) -> int:
    found = re.search(pattern, output)
    return int(found.group(1)) if found else 0


def kept_open(
    base: str, paths: list[str], *, connections: int, duration: int, headers: dict | None = None
) -> Measure:
    """`paths` through a server that keeps connections open, measured by wrk."""
    command = [
        "wrk",
        f"--threads={min(connections, 2)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={REPORT_SCRIPT}",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    command += [base + paths[0]]
    if len(paths) > 1:
        command += ["--", *paths]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    rps = data["requests"] / (data["duration_us"] / 1e6)
    return Measure(
        rps=rps,
        p50=data["p50_us"] / 1000,
        p95=data["p95_us"] / 1000,
        p99=data["p99_us"] / 1000,
        requests=data["requests"],
        not_ok=data["status_4xx"] + data["status_5xx"],
        socket_errors=data["socket_errors"],
        occupancy=data["mean_us"] / 1e6 * rps / connections,
    )
