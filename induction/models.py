"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from induction import mail as mail_models  # noqa: F401
from induction.accounts import audit as audit_models  # noqa: F401
from induction.accounts import models as accounts_models  # noqa: F401
from induction.courses import models as courses_models  # noqa: F401
from induction.progress import models as progress_models  # noqa: F401
from induction.quizzes import models as quizzes_models  # noqa: F401
