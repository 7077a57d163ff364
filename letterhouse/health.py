"""The health endpoint a load balancer or a person checks: is the app up, and can it render?"""

from flask import Blueprint, current_app, jsonify

from .catalog import BrokenTemplate
from .render import harfbuzz_subsetter_available

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report liveness, how many templates work, and whether fast font subsetting is on."""
    entries = current_app.extensions["letterhouse.catalog"].entries()
    broken = sum(isinstance(entry, BrokenTemplate) for entry in entries)
    return jsonify(status="ok", templates=len(entries) - broken, broken_templates=broken,
                   fast_font_subsetting=harfbuzz_subsetter_available())
