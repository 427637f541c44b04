"""The load generators: many clients at once on loopback, latency percentiles, worker memory.

`measure` runs clients as Python threads, each sending one request at a time (a new
connection each, as gunicorn's sync workers close them) until the time is up; a
short warm-up comes first and is not counted. Throughput counts the requests that
finished in the measured time. `measure_wrk` does the same for GET requests with wrk
(a load generator in C, when installed): Python clients cannot keep up with the
fastest endpoints on a small machine, so the ratios to the fastest are fairer from
wrk. Worker memory is sampled from /proc while the load runs.
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import subprocess
import tempfile
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
    # Percentiles measured elsewhere (wrk keeps its own histogram), in milliseconds.
    known_percentiles: dict[float, float] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Return the p-th percentile latency in milliseconds (nearest rank)."""
        if p in self.known_percentiles:
            return self.known_percentiles[p]
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


# Per thread: send the prepared requests in turn (each thread from its own start) and
# count replies whose status is not the expected one; at the end, print one JSON line.
WRK_SCRIPT = """
local requests = {%(requests)s}
local expected = %(expected)d
local threads = {}
local counter = 0
setup = function(thread)
  thread:set("turn", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
init = function(args)
  unexpected = 0
end
request = function()
  turn = turn + 1
  return requests[(turn %% #requests) + 1]
end
response = function(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end
done = function(summary, latency, _requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %%d, \\"microseconds\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, " ..
    "\\"p99\\": %%d, \\"unexpected\\": %%d, \\"broken\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, e.connect + e.read + e.write + e.timeout))
end
"""


def has_wrk() -> bool:
    """Return True when wrk is installed."""
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        + '"'
    )


def measure_wrk(
    endpoint: str,
    base_url: str,
    requests: list[tuple[str, dict[str, str]]],
    *,
    concurrency: int,
    seconds: float,
    warm_up: float = 1.0,
    expected: int = 200,
) -> Measurement:
    """Run wrk with `concurrency` connections for `warm_up` (not counted), then `seconds`.

    `requests` are (path, headers) pairs of GET requests, sent in turn; every request
    also says "Connection: close", as the Python clients do. A reply whose status is
    not `expected`, or a broken connection, counts as an error; throughput counts the
    others.
    """
    lines = []
    for path, headers in requests:
        raw = f"GET {path} HTTP/1.1\r\nHost: {base_url.split('//', 1)[1]}\r\n"
        raw += "".join(f"{k}: {v}\r\n" for k, v in {**headers, "Connection": "close"}.items())
        lines.append(_lua_string(raw + "\r\n"))
    script = WRK_SCRIPT % {"requests": ", ".join(lines), "expected": expected}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        threads = str(min(concurrency, 2))
        for duration in (warm_up, seconds):  # the last run is the one counted
            done = subprocess.run(  # noqa: S603 - our own arguments
                ["wrk", "-t", threads, "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",  # noqa: S607
                 "--timeout", "30s", "-s", file.name, base_url],
                capture_output=True, text=True, check=True, timeout=duration + 60,
            )  # fmt: skip
    finally:
        Path(file.name).unlink()
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("WRK "))
    figures = json.loads(line[4:])
    errors = figures["unexpected"] + figures["broken"]
    elapsed = figures["microseconds"] / 1e6
    return Measurement(
        endpoint=endpoint,
        concurrency=concurrency,
        requests=max(figures["requests"] - figures["unexpected"], 0),
        errors=errors,
        seconds=elapsed,
        latencies_ms=(),
        error_statuses={-1: errors} if errors else {},
        known_percentiles={p: figures[f"p{p}"] / 1000 for p in (50, 95, 99)},
    )


def measure_first_byte(
    endpoint: str,
    base_url: str,
    requests: list[tuple[str, dict[str, str]]],
    *,
    concurrency: int,
    seconds: float,
    warm_up: float = 1.0,
) -> tuple[Measurement, Measurement]:
    """Run `concurrency` Python clients sending the GET `requests` in turn; return two
    measurements of the same requests: to the first byte of the body, and to the last.

    A download streamed by the app sends its first bytes long before its last; wrk only
    sees the last. A reply other than 200 or a broken connection counts as an error.
    """
    host, port = base_url.split("//", 1)[1].split(":")
    started = time.monotonic()
    counting_from, deadline = started + warm_up, started + warm_up + seconds
    firsts: list[float] = []
    lasts: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(n: int) -> None:
        turn = n
        while time.monotonic() < deadline:
            path, headers = requests[turn % len(requests)]
            turn += concurrency
            begun = time.monotonic()
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            try:
                connection.request("GET", path, headers={**headers, "Connection": "close"})
                response = connection.getresponse()
                response.read(1)
                first = time.monotonic()
                response.read()
                last = time.monotonic()
                ok = response.status == 200
            except OSError:
                ok, first, last = False, time.monotonic(), time.monotonic()
            finally:
                connection.close()
            if not counting_from <= last <= deadline:
                continue
            with lock:
                if ok:
                    firsts.append((first - begun) * 1000)
                    lasts.append((last - begun) * 1000)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tuple(  # type: ignore[return-value]
        Measurement(
            endpoint=f"{endpoint} ({part})",
            concurrency=concurrency,
            requests=len(values),
            errors=errors[0],
            seconds=seconds,
            latencies_ms=tuple(values),
        )
        for part, values in (("first byte", firsts), ("whole file", lasts))
    )


def _status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _rollup_kib(pid: int) -> tuple[int, int] | None:
    """Return a process's private memory and its proportional share (PSS: each page it
    shares with n processes counted as 1/n), in KiB, from /proc/PID/smaps_rollup."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    private = proportional = 0
    for line in text.splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            private += int(line.split()[1])
        elif line.startswith("Pss:"):
            proportional += int(line.split()[1])
    return private, proportional


class MemorySampler:
    """Samples the peak resident memory (VmHWM), private memory and proportional share
    (PSS) of worker processes. Resident memory counts every page a worker shares with
    gunicorn's master and the other workers (the preloaded app) in full, in each of them;
    the proportional share divides those pages between the processes sharing them, so the
    workers' shares add up to what they cost the machine together."""

    def __init__(self, worker_pids: Callable[[], list[int]], every: float = 0.25) -> None:
        self.worker_pids = worker_pids
        self.every = every
        self.peak_rss_kib = 0
        self.peak_private_kib = 0
        self.peak_proportional_kib = 0
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
            rollup = _rollup_kib(pid)
            if peak is not None:
                self.peak_rss_kib = max(self.peak_rss_kib, peak)
            if rollup is not None:
                self.peak_private_kib = max(self.peak_private_kib, rollup[0])
                self.peak_proportional_kib = max(self.peak_proportional_kib, rollup[1])
