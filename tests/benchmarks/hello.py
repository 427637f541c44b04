"""The yardstick: a hello-world Flask app, served by the benchmark with the app's gunicorn settings.

Its throughput in the same run is what every endpoint is compared with: the share of
it a page reaches says how much of the page's cost is its own work rather than
Python, Flask and gunicorn.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Hello, world."""
    return "Hello, World!"
