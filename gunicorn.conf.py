"""gunicorn settings for production, read by `gunicorn wsgi:app` from the project folder.

Anything here can be overridden on the command line (`-w 4 -b 127.0.0.1:8000`) or in
GUNICORN_CMD_ARGS; the number of workers also follows WEB_CONCURRENCY. See
docs/deployment.md.
"""

from __future__ import annotations

import os
from typing import Any

bind = "127.0.0.1:8000"  # behind a reverse proxy on the same host
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# The app is loaded once, before the workers fork: they start in milliseconds (a
# worker that died is replaced at once) and share the loaded code's memory.
preload_app = True
timeout = 30  # a worker stuck longer than this is killed and replaced
graceful_timeout = 30
# Replace each worker after a while, so no slow growth in memory can build up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn 25+ opens a control socket at one path per user; two instances on one host
# would fight over it, and nothing here uses it.
control_socket_disable = True
if os.path.isdir("/dev/shm"):  # noqa: S108 - the heartbeat file on memory, not disk
    worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's documented choice


def post_fork(server: Any, worker: Any) -> None:
    """Give each worker its own database connections, never ones inherited from the master."""
    app = getattr(server.app, "callable", None)
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not loaded yet, or another app served with these settings (the benchmark's)
    from induction.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
