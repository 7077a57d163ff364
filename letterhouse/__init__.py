"""Letterhouse: personalised letters, written from templates and printed in a hand.

Layers, each a subpackage: `letters` (the domain), `render` (Letter -> PDF), `batch` (mail merge)
and `web` (the site and the API), with `cli` and `bench` on top. Importing this package imports
no Flask: `create_app` is looked up from `letterhouse.web.app` when it is first asked for.
"""


def __getattr__(name):
    if name == "create_app":
        from letterhouse.web.app import create_app
        return create_app
    raise AttributeError(f"module 'letterhouse' has no attribute {name!r}")
