"""The WSGI entry point for production: `gunicorn wsgi:app`.

Production refuses to start without a proper INDUCTION_SECRET_KEY; set INDUCTION_ENV to
something else only for local experiments.
"""

import os

from induction import create_app

os.environ.setdefault("INDUCTION_ENV", "production")
app = create_app()
