"""Several people on `letterhouse serve` (gunicorn, two sync workers): each gets their own session, token and letter.

Sync workers answer on their main thread, where a context left over from the command line
would be shared by every request (gthread's pool threads start with none), so they are the
strict case.
"""

import pytest
from conftest import ANNIVERSARY, pdf_text
from serving import Visitor, csrf_token, letterhouse_serve

from letterhouse.web.server import serve

RECIPIENTS = ["Ada Quist", "Bruno Feld", "Chiara Rossi", "Dmitri Orlov", "Eun-ji Park", "Farah Haddad", "Gus Moreau"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with letterhouse_serve(tmp_path_factory.mktemp("visitors"), workers=2, threads=1) as running:
        yield running


def write_a_letter(visitor, recipient):
    """Open the form, preview a letter to `recipient` with this visitor's own token, download it."""
    form = visitor.open_form("anniversary")
    token = csrf_token(form.text)
    preview = visitor.preview("anniversary", {**ANNIVERSARY, "recipient_name": recipient}, token)
    download = visitor.download("anniversary", preview.text) if preview.status == 200 else None
    return form, token, preview, download


def test_every_new_visitor_gets_their_own_session_token_and_letter(server):
    visits = [write_a_letter(Visitor(server), recipient) for recipient in RECIPIENTS]

    for recipient, (form, _, preview, download) in zip(RECIPIENTS, visits, strict=True):
        assert form.headers.get("Set-Cookie"), f"no session cookie for the visitor writing to {recipient}"
        assert preview.status == 200, f"{recipient}: {preview.status} {preview.text[:300]}"
        assert download.status == 200 and download.headers["Content-Type"] == "application/pdf"
        assert f"Dear {recipient.split()[0]}," in pdf_text(download.body)
    tokens = [token for _, token, _, _ in visits]
    assert len(set(tokens)) == len(tokens), "two visitors were given the same CSRF token"


def test_a_visitor_cannot_use_another_visitors_token(server):
    alice, mallory = Visitor(server), Visitor(server)
    alices_token = csrf_token(alice.open_form("anniversary").text)
    mallory.open_form("anniversary")

    answer = mallory.preview("anniversary", {**ANNIVERSARY, "recipient_name": "Alice"}, alices_token)

    assert answer.status == 400
    assert "This page was open for a long while" in answer.text
    assert alice.preview("anniversary", ANNIVERSARY, alices_token).status == 200


def test_the_session_cookie_stays_on_this_site_and_out_of_scripts(server):
    cookie = Visitor(server).open_form("anniversary").headers["Set-Cookie"]

    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "samesite=lax" in attributes
    assert "httponly" in attributes


def test_the_server_refuses_to_start_inside_an_app_context(app):
    with app.app_context(), pytest.raises(RuntimeError, match="outside an app context"):
        serve(lambda: app, "127.0.0.1", 0, workers=1, threads=1, timeout=30)
