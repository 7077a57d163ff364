"""No input crashes the site: random form posts, hostile templates, and the headers every page carries."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letterhouse import create_app

FIELD_NAMES = ["sender_name", "sender_address", "recipient_name", "recipient_address", "date", "place",
               "salutation", "closing", "signature", "hand", "ink", "paper", "page_size", "seed",
               "years", "relationship", "tone", "memory", "quality", "hard_time", "looking_forward", "unknown"]
any_text = st.one_of(st.text(max_size=60), st.text(min_size=4000, max_size=4200),
                     st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "2026-02-30", "nan", "\x00",
                                      "caveat", "cream", "A4", "<b>", "{{ 7*7 }}", "\u202e", "\ud7ff"]))
form_posts = st.dictionaries(st.sampled_from(FIELD_NAMES), any_text, max_size=len(FIELD_NAMES))


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "WTF_CSRF_ENABLED": False,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    return app.test_client()


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(post=form_posts)
def test_random_form_posts_get_a_letter_or_errors_that_name_fields(fuzz_client, post):
    response = fuzz_client.post("/letters/anniversary", data=post)
    assert response.status_code in (200, 422), response.status_code
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    if response.status_code == 422:
        summary = re.findall(r'<a href="#([^"]*)">', html.split('class="error-summary"', 1)[1].split("</ul>")[0])
        assert summary and all(summary), "every error in the summary links to its field"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(post=form_posts)
def test_random_downloads_are_a_pdf_or_the_form_again(fuzz_client, post):
    response = fuzz_client.post("/letters/anniversary/letter.pdf", data=post)
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.data.startswith(b"%PDF-")


def test_every_page_carries_the_security_headers(client):
    for path in ["/", "/letters/anniversary", "/no-such-page", "/healthz"]:
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_an_unexpected_error_shows_no_traceback(app):
    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Your letter is safe" in body


def test_a_request_body_over_the_limit_is_refused_with_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post("/letters/anniversary", data={"memory": "x" * 20_000})
    assert response.status_code == 413
    assert "more than Letterhouse accepts" in response.get_data(as_text=True)


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ sender_name.__class__.__base__.__subclasses__() }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends '/etc/passwd' %}",
    "{{ sender_name['__class__'] }}",
    "{{ lipsum.__globals__ }}",
    "{{ range(10**9)|list }}",
])
def test_a_template_that_reaches_for_python_is_rejected_and_never_runs(client, templates_dir, attack):
    (templates_dir / "attack.jinja").write_text(f"---\ntitle: Attack\n---\nHello.\n\n{attack}\n")
    gallery = client.get("/").get_data(as_text=True)
    assert "attack.jinja:6:" in gallery
    assert client.get("/letters/attack").status_code == 404


def test_a_template_that_fails_while_writing_is_a_clear_4xx_not_a_500(client, templates_dir, letters):
    (templates_dir / "divide.jinja").write_text(
        "---\ntitle: Divide\nfields:\n  - name: years\n    type: integer\n---\n"
        "Hello.\n\n{{ 100 // years }} per cent.\n")
    response = letters.submit("divide", {"sender_name": "Ana", "recipient_name": "Jo", "years": "0"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "divide.jinja:9: integer division or modulo by zero" in html
    assert 'value="Ana"' in html
    api = client.post("/api/v1/letters/divide", json={"sender_name": "Ana", "recipient_name": "Jo", "years": 0})
    assert api.status_code == 422
    assert "divide.jinja:9" in api.get_data(as_text=True)


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                     any_text), lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)
json_bodies = st.one_of(st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=len(FIELD_NAMES)),
                        json_values)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=json_bodies)
def test_random_api_json_gets_a_pdf_or_errors_that_name_fields(fuzz_client, body):
    response = fuzz_client.post("/api/v1/letters/anniversary", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 422), response.status_code
    if response.status_code == 200:
        assert response.data.startswith(b"%PDF-")
    else:
        answer = response.get_json()
        assert answer["detail"]
        if response.status_code == 422 and answer.get("errors"):
            given = set(body) if isinstance(body, dict) else set()
            assert set(answer["errors"]) <= set(FIELD_NAMES) | given, answer["errors"]


csv_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(header=st.lists(st.sampled_from(FIELD_NAMES), min_size=1, max_size=6, unique=True),
       rows=st.lists(st.lists(csv_cells, min_size=0, max_size=7), min_size=1, max_size=4))
def test_random_csv_rows_are_checked_row_by_row_without_a_crash(header, rows):
    import csv
    import io

    from letterhouse.batch.checking import check_rows
    from letterhouse.batch.rows import RowsError, read_rows

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "INSTANCE_PATH": "/tmp/letterhouse-fuzz"})
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        try:
            check = check_rows(template, read_rows(buffer.getvalue().encode(), "csv"))
        except RowsError as error:
            assert str(error)
            return
    for problem in check.problems:
        assert problem.row >= 1 and problem.message
        assert str(problem).startswith(f"row {problem.row}")
    assert len(check.letters) + len({p.row for p in check.problems}) >= 1 or check.total == 0
