"""The load generator: many clients at once on loopback, latency percentiles, worker memory.

Each client is a thread sending one request at a time (a new connection each, as
gunicorn's sync workers close them) until the time is up; a short warm-up comes
first and is not counted. Throughput counts the requests that finished in the
measured time. Worker memory is sampled from /proc while the load runs.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.visitor import Reply

# One request: returns the reply (raises on a broken connection).
Request = Callable[[], Reply]


@dataclass(frozen=True)
class Measurement:
    """What one endpoint did at one concurrency."""

    endpoint: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...] = field(repr=False)
    error_statuses: dict[int, int] = field(default_factory=dict)  # status (0: no reply) -> count

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Return the p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1]


def measure(
    endpoint: str,
    make_request: Callable[[int], Request],
    *,
    concurrency: int,
    seconds: float,
    warm_up: float = 1.0,
    ok: Iterable[int] = (200,),
) -> Measurement:
    """Run `concurrency` clients for `warm_up` + `seconds`; count what ends in the last `seconds`.

    `make_request(n)` gives client n its request function. Clients start no request
    after the time is up; a request still running then is not counted (as wrk does).
    A reply whose status is not in `ok`, or a broken connection, counts as an error.
    """
    accepted = frozenset(ok)
    started = time.monotonic()
    counting_from = started + warm_up
    deadline = counting_from + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    error_statuses: list[Counter[int]] = [Counter() for _ in range(concurrency)]

    def client(n: int) -> None:
        request = make_request(n)
        while True:
            begun = time.monotonic()
            if begun >= deadline:
                return
            try:
                status = request().status
            except (OSError, LookupError):
                status = 0
            finished = time.monotonic()
            if not counting_from <= finished <= deadline:
                continue
            if status in accepted:
                latencies[n].append((finished - begun) * 1000)
            else:
                errors[n] += 1
                error_statuses[n][status] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = tuple(value for per_client in latencies for value in per_client)
    return Measurement(
        endpoint=endpoint,
        concurrency=concurrency,
        requests=len(every),
        errors=sum(errors),
        seconds=seconds,
        latencies_ms=every,
        error_statuses=dict(sum(error_statuses, Counter())),
    )


def _status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _private_kib(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    total = 0
    for line in text.splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


class MemorySampler:
    """Samples the peak resident memory (VmHWM) and private memory of worker processes."""

    def __init__(self, worker_pids: Callable[[], list[int]], every: float = 0.25) -> None:
        self.worker_pids = worker_pids
        self.every = every
        self.peak_rss_kib = 0
        self.peak_private_kib = 0
        self.workers_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        for pid in self.worker_pids():
            self.workers_seen.add(pid)
            peak = _status_kib(pid, "VmHWM")
            private = _private_kib(pid)
            if peak is not None:
                self.peak_rss_kib = max(self.peak_rss_kib, peak)
            if private is not None:
                self.peak_private_kib = max(self.peak_private_kib, private)
