"""The WSGI entry point for production: `gunicorn wsgi:app`.

The courses and templates are loaded here, once, so every worker starts with them; then
the garbage collector is told to leave them alone (see induction.preload).

Production refuses to start without a proper INDUCTION_SECRET_KEY; set INDUCTION_ENV to
something else only for local experiments.
"""

import os

from induction import create_app
from induction.preload import freeze, warm

os.environ.setdefault("INDUCTION_ENV", "production")
app = create_app()
warm(app)  # once, before gunicorn forks its workers (preload_app)
freeze()  # what is loaded now lives as long as the process: no collection walks it again
