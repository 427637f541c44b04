"""How long `courses check` takes on a courses folder: the median of several runs, in seconds.

    python -m tests.benchmarks.check_time [FOLDER] [--runs 7]

Each run is a fresh process (`flask --app induction courses check FOLDER`), so the
figure includes starting Python and the app, as an author running the command sees it;
the time inside the process (`check_tree` alone, imports done) is printed too. The
default folder is the shipped `courses/`. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_IN_PROCESS = """
import sys, time
from pathlib import Path
from induction.content import check_tree
start = time.perf_counter()
check_tree(Path(sys.argv[1]))
print(time.perf_counter() - start)
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "courses"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    command: list[float] = []
    inside: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "induction", "courses", "check", args.folder],
            check=False,
            capture_output=True,
        )
        command.append(time.perf_counter() - start)
        result = subprocess.run(
            [sys.executable, "-c", _IN_PROCESS, args.folder],
            check=True,
            capture_output=True,
            text=True,
        )
        inside.append(float(result.stdout.strip()))
    print(f"courses check on {args.folder} ({args.runs} runs, median):")
    print(f"  whole command:        {statistics.median(command):.3f} s")
    print(f"  check_tree in-process: {statistics.median(inside):.3f} s")


if __name__ == "__main__":
    main()
