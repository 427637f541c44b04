"""How long a password reset request takes to answer, for a known and an unknown address.

    python -m tests.benchmarks.reset_timing [--rounds 400]

Runs the app in this process on a new SQLite file and posts `/reset` alternately for an
address with an account and one without, timing each request until its whole answer is
read. The work for a known address (the link, the email) runs when the response is
closed, as a WSGI server does once the answer has been sent; that part is timed apart.
Prints the medians in milliseconds; the two answer medians should differ by noise only.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from induction import create_app
from induction.accounts import people
from induction.extensions import db

KNOWN = "known@example.org"
UNKNOWN = "nobody@example.org"


def _app(folder: Path):
    app = create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": f"sqlite:///{folder / 'timing.sqlite'}",
            "SECRET_KEY": "reset-timing-secret-key-not-for-production",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "OUTBOX_DIR": str(folder / "outbox"),
        }
    )
    with app.app_context():
        db.create_all()
        people.create_user(email=KNOWN, name="Known Person", password=None, role="admin")
        db.session.commit()
    return app


def measure(rounds: int) -> dict[str, list[float]]:
    """Return the answer times (ms) for each address, and the after-answer times for both."""
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        client = app.test_client()
        for n in range(rounds * 2 + 20):
            email = KNOWN if n % 2 == 0 else UNKNOWN
            start = time.perf_counter()
            response = client.post("/reset", data={"email": email})
            response.get_data()
            answered = time.perf_counter()
            response.close()  # the deferred work, as after a real server sent the answer
            closed = time.perf_counter()
            if n >= 20:  # warm-up not counted
                times[email].append((answered - start) * 1000)
                times["after"].append((closed - answered) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400, help="requests per address")
    args = parser.parse_args()
    times = measure(args.rounds)
    known, unknown = statistics.median(times[KNOWN]), statistics.median(times[UNKNOWN])
    print(f"answer, known address:   median {known:.2f} ms ({args.rounds} requests)")
    print(f"answer, unknown address: median {unknown:.2f} ms ({args.rounds} requests)")
    print(f"difference of medians:   {known - unknown:+.2f} ms")
    print(f"after the answer:        median {statistics.median(times['after']):.2f} ms")


if __name__ == "__main__":
    main()
