"""Flask extensions, created unbound here and bound in the app factory."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
