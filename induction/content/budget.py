"""The render time budget: Markdown is first converted in a child process, which reports the
processor time each text took; a text over the budget is refused.

`limits` refuses the shapes known to make Python-Markdown slow; this catches
what it cannot foresee. Before a courses folder is rendered, every text not
seen before is converted once in a separate Python process (with the same
extensions), one after another. The child measures each conversion in processor
time (`time.process_time`), so a machine busy with other work does not make an
ordinary lesson look slow, nor a slow one look fast. A text whose conversion
takes more than the budget is reported slow. A text that never finishes is
caught by a wall-clock guard (GUARD_FACTOR times the budget, plus GUARD_SECONDS):
the child is killed, the text reported slow, and a new child carries on with the
rest. The app's own process only renders texts that passed. Results are
remembered by content hash for the life of the process, so a reload tries only
changed texts.

If no child process can be started, nothing is reported slow (the limits still
apply) and a warning is logged.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO, Any

from induction.content.source import text_hash

log = logging.getLogger(__name__)

START_SECONDS = 30.0  # for the child to start Python and import Markdown
GUARD_FACTOR = 3.0  # a text still running after GUARD_FACTOR x budget + GUARD_SECONDS of
GUARD_SECONDS = 2.0  # wall-clock time is taken to be endless, and its child is killed
_REMEMBERED = 20_000

# Runs in the child: reads {"extensions", "configs", "texts"} as JSON from stdin, says
# "ready", then converts each text and prints the processor seconds it took.
_CHILD = """
import json, sys, time
import markdown
payload = json.load(sys.stdin)
md = markdown.Markdown(extensions=payload["extensions"],
                       extension_configs=payload["configs"], output_format="html")
print("ready", flush=True)
for text in payload["texts"]:
    md.reset()
    started = time.process_time()
    try:
        md.convert(text)
    except Exception:
        pass
    print(repr(time.process_time() - started), flush=True)
"""

_lock = threading.Lock()
_done: dict[str, float] = {}  # content hash -> processor seconds the conversion took
_slow: dict[str, float] = {}  # content hash -> the budget whose guard it outran (killed)


def _remember(table: dict[str, float], key: str, value: float) -> None:
    if len(table) >= _REMEMBERED:
        table.pop(next(iter(table)))
    table[key] = value


def slow_texts(
    texts: Sequence[str],
    seconds: float,
    extensions: Sequence[str],
    configs: dict[str, Any],
) -> set[int]:
    """Return the indexes of the `texts` that Markdown does not convert within `seconds` each.

    Texts already tried are answered from memory; the others are converted in
    child processes (see the module docstring). Never raises.
    """
    hashes = [text_hash(text) for text in texts]
    slow: set[int] = set()
    pending: list[int] = []
    pending_keys: set[str] = set()
    with _lock:
        for index, key in enumerate(hashes):
            if key in _done:  # finished before: its processor time decides
                if _done[key] > seconds:
                    slow.add(index)
                continue
            if key in _slow and _slow[key] >= seconds:
                slow.add(index)
            elif key not in pending_keys:
                pending.append(index)
                pending_keys.add(key)
    while pending:
        finished, timings = _run_child(
            [texts[i] for i in pending], seconds, list(extensions), configs
        )
        with _lock:
            for position, took in enumerate(timings):
                _remember(_done, hashes[pending[position]], took)
                if took > seconds:
                    slow.add(pending[position])
        if finished is None:  # the child could not run: trust the limits alone
            break
        if finished >= len(pending):
            break
        index = pending[finished]  # still running at the guard: endless, and killed
        slow.add(index)
        with _lock:
            _remember(_slow, hashes[index], seconds)
        pending = pending[finished + 1 :]
    slow_keys = {hashes[i] for i in slow}
    return {i for i, key in enumerate(hashes) if key in slow_keys}


def _reader(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


def _run_child(
    texts: list[str], seconds: float, extensions: list[str], configs: dict[str, Any]
) -> tuple[int | None, list[float]]:
    """Convert `texts` in a child; return how many finished before the guard and the processor
    seconds each took.

    The first number is None when the child could not be started or did not get ready.
    """
    payload = json.dumps({"extensions": extensions, "configs": configs, "texts": texts})
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-P", "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
    except OSError as error:
        log.warning("cannot start a process to time rendering (%s): limits only", error)
        return None, []
    assert child.stdin is not None and child.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
    timings: list[float] = []
    try:
        try:
            child.stdin.write(payload)
            child.stdin.close()
            ready = lines.get(timeout=START_SECONDS)
        except (OSError, queue.Empty):
            ready = None
        if ready != "ready":
            log.warning("the process that times rendering did not start: limits only")
            return None, []
        guard = seconds * GUARD_FACTOR + GUARD_SECONDS
        for _ in texts:
            try:
                line = lines.get(timeout=guard)
            except queue.Empty:
                return len(timings), timings
            if line is None:  # the child died on this text (out of memory, say)
                return len(timings), timings
            try:
                timings.append(float(line))
            except ValueError:  # not the child's answer: treat the text as unfinished
                return len(timings), timings
        return len(timings), timings
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()
