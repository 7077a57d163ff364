"""Nothing a template file does can hurt the server: bodies run within bounds, and one bad file stays in its entry."""

import time
import tracemalloc

import pytest

from letterhouse.letters.catalog import BrokenTemplate, load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.problems import LetterBodyFailed, TemplateError
from letterhouse.letters.wording import render_body

HEAD = "---\ntitle: An attack\nfields:\n  - name: years\n    type: integer\n---\n"  # the body starts at line 7
LETTER = {"sender_name": "Ana", "recipient_name": "Ben", "years": 23}
QUICKLY = 5  # seconds; the render time limit is 20, and every attack here is refused long before it

ATTACKS = {  # what a body tries, the line the refusal names, and what it says
    "doubling-macro": ("{% macro f(n) %}{% if n > 0 %}x{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}\n"
                       "{{ f(years) }}", 7, "more than 20,000 calls"),
    "endless-macro": ("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}\n{{ f(years) }}", 7, "more than 50 deep"),
    "doubling-argument": ("{% macro f(s, n) %}{{ f(s ~ s, n-1) if n else s }}{% endmacro %}\n{{ f('xy', years * 2) }}",
                          7, "an argument would build 131,072 characters"),
    "text-repeat": ("Hello.\n{{ 'x' * (years * 1000000) }}", 8, "'*' would build 23,000,000 characters"),
    "list-repeat": ("Hello.\n{{ ['many words'] * (years * 10000) }}", 8, "'*' would build 2,300,000 characters"),
    "power": ("Hello.\n{{ 10 ** (years * 100000) }}", 8, "'**' would make a number of about"),
    "big-product": ("{% macro sq(n, k) %}{{ sq(n * n, k - 1) if k else n }}{% endmacro %}\n{{ sq(years * 1000, 40) }}",
                    7, "'*' would make a number of about"),
    "center": ("Hello.\n{{ 'x'|center(years * 10000000) }}", 8, "230,000,000 is too large to give a filter"),
    "replace": ("{% macro f(s, k) %}{{ f(s|replace('x', s), k - 1) if k else s }}{% endmacro %}\n{{ f('xx', years) }}",
                7, "replace would build"),
    "format-width": ("Hello.\n{{ '%999999999d'|format(years) }}", 8, "a format with a width of 1,000 or more"),
    "percent-width": ("Hello.\n{{ '%*d' % (years * 100000000, 1) }}", 8, "a format with a width of 1,000 or more"),
    "long-output": ("{% macro line() %}{{ 'a long line of writing ' * 4000 }}{% endmacro %}\n"
                    "{% for c in 'x' * 1000 %}{{ line() }}{% endfor %}", 7, "would write more than 200,000 characters"),
}


def write_attack(directory, body):
    path = directory / "attack.jinja"
    path.write_text(HEAD + body + "\n")
    return path


@pytest.mark.parametrize(("body", "line", "reason"), ATTACKS.values(), ids=ATTACKS.keys())
def test_an_attacking_body_is_a_clear_4xx_at_its_line_and_quick(client, templates_dir, body, line, reason):
    write_attack(templates_dir, body)
    started = time.monotonic()
    response = client.post("/api/v1/letters/attack", json=LETTER)
    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 422
    message = response.get_json()["detail"]
    assert f"attack.jinja:{line}: " in message and reason in message
    assert str(templates_dir) not in message


@pytest.mark.parametrize("body", [body for body, _, _ in ATTACKS.values()], ids=ATTACKS.keys())
def test_an_attacking_body_stays_small_in_memory(app, tmp_path, body):
    template = load_template(write_attack(tmp_path, body), {"string": 200, "text": 4000})
    with app.test_request_context():
        letter, errors = validate_mapping(template, LETTER)
    tracemalloc.start()
    try:
        with pytest.raises(LetterBodyFailed):
            render_body(letter)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # bytes: what these bodies asked for runs to gigabytes


def test_the_time_limit_covers_the_template_body(app, client, templates_dir):
    app.config["RENDER_TIME_LIMIT"] = 1
    write_attack(templates_dir, "Hello.\n{% for a in 'x' * 90000 %}{% for b in 'x' * 90000 %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    response = client.post("/api/v1/letters/attack", json=LETTER)
    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 422
    assert "took more than 1 seconds" in response.get_json()["detail"]


def test_an_ordinary_letter_is_written_within_the_bounds(client, templates_dir):
    write_attack(templates_dir, "{% macro twice(s) %}{{ s ~ ' ' ~ s }}{% endmacro %}\n"
                                "{{ twice('Happy ' ~ years ~ ' years!') }} {{ '-' * 20 }} {{ 2 ** years }}")
    response = client.post("/api/v1/letters/attack", json=LETTER)
    assert response.status_code == 200, response.get_json()


LAUGHS = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9) if b else ', '.join('x' * 9)}]\n"
                 for a, b in zip("abcdefghi", ["", *"abcdefgh"], strict=True))
BAD_FILES = {
    "type-list": ("---\ntitle: Bad\nfields:\n  - name: x\n    type: [text]\n---\n{{ x }}\n", 5),
    "huge-number": ("---\ntitle: Bad\n---\nHello.\n{{ 10**5000 }}\n", 5),
    "list-default": ("---\ntitle: Bad\ndefaults:\n  hand: [caveat]\n---\nHello.\n", 4),
    "deep-yaml": ("---\ntitle: Bad\ndescription: " + "[" * 5000 + "]" * 5000 + "\n---\nHello.\n", 3),
    "laughs": ("---\n" + LAUGHS + "fields:\n  - name: x\n    label: *i\n---\n{{ x }}\n", 2),
    "bad-realism": ("---\ntitle: Bad\ndefaults:\n  realism: sloppy\n---\nHello.\n", 4),
    "too-large": ("---\ntitle: Bad\n---\n" + "All work and no play. " * 6000, 1),
}


@pytest.mark.parametrize("slug", BAD_FILES)
def test_a_bad_file_is_unavailable_at_its_line_and_the_rest_keep_working(client, templates_dir, slug):
    text, line = BAD_FILES[slug]
    (templates_dir / f"{slug}.jinja").write_text(text)
    where = f"{slug}.jinja:{line}:"
    started = time.monotonic()
    gallery = client.get("/")
    health = client.get("/healthz")
    listing = client.get("/api/v1/templates")
    assert time.monotonic() - started < QUICKLY
    assert gallery.status_code == health.status_code == listing.status_code == 200
    assert "An anniversary letter" in gallery.get_data(as_text=True)
    assert where in gallery.get_data(as_text=True)
    assert any(p.startswith(where) for p in health.get_json()["unavailable"][slug])
    assert health.get_json()["templates"] >= 3
    assert "anniversary" in {t["slug"] for t in listing.get_json()["templates"]}
    unavailable = {u["slug"]: u["problems"] for u in listing.get_json()["unavailable"]}
    assert any(p.startswith(where) for p in unavailable[slug])


def test_a_file_that_trips_a_fault_is_one_unavailable_entry(client, templates_dir, monkeypatch):
    def fault(*args, **kwargs):
        raise RuntimeError(f"a bug that names {templates_dir}")

    monkeypatch.setattr("letterhouse.letters.catalog.parse_front_matter", fault)
    (templates_dir / "faulty.jinja").write_text("---\ntitle: Faulty\n---\nHello.\n")
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["unavailable"]["faulty"] == [
        "faulty.jinja:1: cannot be loaded: it trips a fault in Letterhouse (see the server log)"]
    assert str(templates_dir) not in health.get_data(as_text=True)


def test_no_answer_shows_the_servers_path_to_a_template(client, letters, templates_dir, anniversary_values):
    broken = "---\ntitle: Broken\nfields:\n  - name: x\n    type: nope\n---\n{{ x }}\n"
    (templates_dir / "broken.jinja").write_text(broken)
    write_attack(templates_dir, "Hello.\n{{ 1 / (years - years) }}")
    values = {key: anniversary_values[key] for key in ("sender_name", "recipient_name")}
    answers = {
        "gallery": client.get("/"),
        "unavailable page": client.get("/letters/broken"),
        "api 404": client.get("/api/v1/templates/broken"),
        "api listing": client.get("/api/v1/templates"),
        "health": client.get("/healthz"),
        "api failing body": client.post("/api/v1/letters/attack", json=LETTER),
        "form failing body": letters.submit("attack", {**values, "years": "3"}),
    }
    assert answers["form failing body"].status_code == answers["api failing body"].status_code == 422
    assert "attack.jinja:8:" in answers["form failing body"].get_data(as_text=True)
    assert "broken.jinja:5:" in answers["unavailable page"].get_data(as_text=True)
    for name, response in answers.items():
        assert str(templates_dir) not in response.get_data(as_text=True), name
        assert str(templates_dir.parent) not in response.get_data(as_text=True), name


def test_the_cli_check_still_names_the_path_it_was_given(tmp_path):
    path = write_attack(tmp_path, "{{ 'x' * 1000000 }} {{ years }}")
    with pytest.raises(TemplateError) as caught:
        load_template(path, {"string": 200, "text": 4000})
    assert str(caught.value.problems[0]).startswith(f"{path}:7:")


def test_a_catalog_entry_for_a_bad_file_is_broken_not_an_error(app, templates_dir):
    (templates_dir / "laughs.jinja").write_text(BAD_FILES["laughs"][0])
    entry = app.extensions["letterhouse.letters.catalog"].get("laughs")
    assert isinstance(entry, BrokenTemplate)
    assert str(entry.problems[0]).startswith("laughs.jinja:2: front matter is not valid YAML: anchors and aliases")
