"""The health endpoint a load balancer or a person checks: is the app up, and can it render?"""

from flask import Blueprint, current_app, jsonify

from letterhouse.letters.catalog import BrokenTemplate
from letterhouse.render.pdf import harfbuzz_subsetter_available

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report liveness, how many templates work (naming the problems of those that do not),
    and whether fast font subsetting is on."""
    entries = current_app.extensions["letterhouse.letters.catalog"].entries()
    broken = [entry for entry in entries if isinstance(entry, BrokenTemplate)]
    return jsonify(status="ok", templates=len(entries) - len(broken), broken_templates=len(broken),
                   unavailable={entry.slug: [str(p) for p in entry.problems] for entry in broken},
                   fast_font_subsetting=harfbuzz_subsetter_available())
