"""Flask extensions, created unbound and bound to the app in `create_app`."""

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from induction.database import Base

db = SQLAlchemy(model_class=Base)

# The base class of every model: Flask-SQLAlchemy's db.Model when running; type checkers,
# which cannot see a base class made at run time, see the typed declarative Base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
