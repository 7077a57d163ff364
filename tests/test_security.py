"""Nothing a person or a template writes becomes markup, template code or a URL WeasyPrint fetches."""

import http.server
import threading

import pytest
from conftest import pdf_shows, pdf_text

from letterhouse.config import STATIC_ROOT
from letterhouse.render.pdf import FetchRefused, Renderer, StaticOnlyFetcher

HOSTILE_TEXT = ['<b>x</b>', '{{ 7*7 }}', '<img src="file:///etc/passwd">', "{% include '/etc/passwd' %}"]


@pytest.fixture
def listening_server():
    """A local HTTP server that counts the requests it gets (there should be none)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.parametrize("hostile", HOSTILE_TEXT)
def test_user_text_is_printed_literally(letters, anniversary_values, hostile):
    values = {**anniversary_values, "recipient_name": f"Chris {hostile}", "memory": hostile}
    preview = letters.submit("anniversary", values).get_data(as_text=True)
    text = pdf_text(letters.download("anniversary", preview).data)
    assert pdf_shows(text, hostile)
    assert "49" not in text


def test_template_text_is_escaped_too(app, templates_dir, letters, anniversary_values):
    (templates_dir / "markup.jinja").write_text(
        "---\ntitle: Markup\n---\n<b>Bold</b> <img src=\"file:///etc/passwd\"> &amp; more\n")
    preview = letters.submit("markup", anniversary_values).get_data(as_text=True)
    text = pdf_text(letters.download("markup", preview).data)
    assert pdf_shows(text, '<b>Bold</b> <img src="file:///etc/passwd"> &amp; more')


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    STATIC_ROOT.as_uri() + "/../pyproject.toml",
    STATIC_ROOT.as_uri() + "/css/letter.css?x=1",
    "http://127.0.0.1:9/letter.css",
    "https://example.org/font.ttf",
    "data:text/css,body{color:red}",
    "file://otherhost" + (STATIC_ROOT / "css" / "letter.css").as_posix(),
])
@pytest.mark.expect_render_warnings
def test_fetcher_refuses_everything_but_our_static_files(url, render_logs):
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher().fetch(url)
    assert render_logs.messages == [f"Refused to fetch {url!r}: only Letterhouse's static files may be used"]


def test_fetcher_serves_our_static_files():
    response = StaticOnlyFetcher().fetch((STATIC_ROOT / "css" / "letter.css").as_uri())
    assert b"@page" in response.read()


@pytest.mark.expect_render_warnings
def test_hostile_html_fetches_nothing_and_attaches_nothing(listening_server, render_logs):
    base, hits = listening_server
    html = f"""<html><head>
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="{base}/sheet.css">
      <style>@import url("{base}/imported.css"); p {{ background: url("{base}/bg.png") }}</style>
      </head><body class="hand-caveat ink-black">
      <p style="background-image: url('{base}/inline.png')">Hello</p>
      <img src="{base}/img.png"><img src="file:///etc/passwd"><img src="../../../../etc/passwd">
      <svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg>
      </body></html>"""
    pdf = Renderer().render(html, "A4", "white", "caveat").pdf
    assert hits == []
    assert b"/EmbeddedFile" not in pdf
    assert b"root:" not in pdf
    refusals = [m for m in render_logs.messages if "Refused to fetch" in m]
    assert any("/etc/passwd" in m for m in refusals)
    assert any(base in m for m in refusals)
