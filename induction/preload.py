"""Work done once in the server's master process, before it forks its workers.

gunicorn loads the app once (`preload_app`) and forks workers from it. What the
master has read and compiled, every worker shares (copy-on-write) and never does
again: the courses (read from disk, their Markdown rendered) and every template
(compiled by Jinja). A worker that replaces another (after `max_requests`, or a
crash) then answers its first page as fast as its hundredth. No database is asked
anything here.

What is loaded then lives as long as the process, so `freeze` puts it out of the garbage
collector's reach: a full collection in a worker no longer walks the few hundred thousand
objects of the app, the courses and the templates (it took about 100 ms each time, in
the middle of somebody's request), and no longer writes to the pages they share with
the master.
"""

from __future__ import annotations

import gc

from flask import Flask

from induction.catalogue import get_catalogue


def warm(app: Flask) -> int:
    """Load the course catalogue and compile every template; return how many templates.

    Raises nothing for broken course files (the catalogue reports those to admins) or
    for a template that does not compile (the page using it fails as it would anyway).
    """
    with app.app_context():
        get_catalogue().library()
    compiled = 0
    for name in app.jinja_env.list_templates(extensions=("html", "txt")):
        try:
            app.jinja_env.get_template(name)
        except Exception:  # noqa: BLE001, S112 - the page itself reports it when used
            continue
        compiled += 1
    return compiled


def freeze() -> int:
    """Collect what is garbage now, then exempt every object left from later collections
    (`gc.freeze`); return how many objects that exempted. Call it last, before the fork.

    Objects made later (a course catalogue read again after a publish) are collected as
    usual. A frozen object dropped later is still freed when nothing refers to it; only
    frozen objects that refer to each other in a cycle stay until the worker is replaced
    (gunicorn's `max_requests`).
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
