"""A template author drops files into letter_templates/; good ones work, broken ones say where they broke."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED_TEMPLATES

from letterhouse.config import load_settings
from letterhouse.letters.catalog import BrokenTemplate, Catalog, catalog_from_config, load_template
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.problems import TemplateError
from letterhouse.letters.wording import body_paragraphs, render_body

GOLDEN = Path(__file__).parent / "golden"
LIMITS = {"string": 200, "text": 4000}


def summary(template, data):
    """Return what a golden result file records about a parsed template."""
    letter, errors = validate_mapping(template, data)
    assert errors == {}
    return {
        "slug": template.slug, "title": template.title, "occasion": template.occasion,
        "defaults": template.defaults,
        "fields": [{"name": f.name, "type": f.type, "label": f.label, "required": f.required, "line": f.line}
                   for f in template.fields],
        "choices": {f.name: [list(c) for c in f.choices] for f in template.fields if f.choices},
        "paragraphs": body_paragraphs(render_body(letter)),
        "warnings": [str(w).replace(str(template.path), template.path.name) for w in template.warnings],
    }


@pytest.mark.parametrize("path", sorted((GOLDEN / "good").glob("*.jinja")), ids=lambda p: p.stem)
def test_good_template_matches_its_golden_result(app, path):
    data = json.loads(path.with_suffix(".data.json").read_text())
    expected = json.loads(path.with_suffix(".result.json").read_text())
    with app.test_request_context():
        assert summary(load_template(path, LIMITS), data) == expected


@pytest.mark.parametrize("path", sorted((GOLDEN / "broken").glob("*.jinja")), ids=lambda p: p.stem)
def test_broken_template_names_the_line_and_the_mistake(path):
    expected = path.with_suffix(".expected").read_text().strip()
    with pytest.raises(TemplateError) as caught:
        load_template(path, LIMITS)
    reported = [str(p).replace(str(path), path.name) for p in caught.value.problems if p.is_error]
    assert any(line.startswith(expected) for line in reported), reported


def test_every_bundled_template_loads_without_problems(app):
    entries = app.extensions["letterhouse.letters.catalog"].entries()
    assert [e.slug for e in entries if isinstance(e, BrokenTemplate)] == []
    assert {"anniversary", "thank-you", "love-letter"} <= {e.slug for e in entries}


def test_a_broken_file_is_shown_unavailable_and_the_rest_keep_working(client, templates_dir):
    (templates_dir / "oops.jinja").write_text("---\ntitle: Oops\nfields:\n  - name: x\n    type: nope\n---\n{{ x }}\n")
    gallery = client.get("/").get_data(as_text=True)
    assert "Unavailable" in gallery
    assert "oops.jinja:5: field &#39;x&#39;: unknown type &#39;nope&#39;" in gallery
    assert 'href="/letters/anniversary"' in gallery
    page = client.get("/letters/oops")
    assert page.status_code == 404
    assert "unknown type" in page.get_data(as_text=True)
    assert client.get("/letters/anniversary").status_code == 200


def test_a_new_file_appears_without_a_restart_and_a_removed_one_goes(client, templates_dir):
    path = templates_dir / "postcard.jinja"
    path.write_text("---\ntitle: A postcard\noccasion: holiday\n---\nWish you were here.\n")
    assert "A postcard" in client.get("/").get_data(as_text=True)
    path.unlink()
    assert "A postcard" not in client.get("/").get_data(as_text=True)
    assert client.get("/letters/postcard").status_code == 404


def test_a_changed_file_is_read_again(client, templates_dir):
    path = templates_dir / "postcard.jinja"
    path.write_text("---\ntitle: A postcard\n---\nWish you were here.\n")
    assert "A postcard" in client.get("/").get_data(as_text=True)
    path.write_text("---\ntitle: A picture postcard\n---\nWish you were here!\n")
    assert "A picture postcard" in client.get("/").get_data(as_text=True)


def test_first_directory_wins_when_two_have_the_same_slug(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for directory, title in [(first, "From A"), (second, "From B")]:
        directory.mkdir()
        (directory / "note.jinja").write_text(f"---\ntitle: {title}\n---\nHi.\n")
    (second / "other.jinja").write_text("---\ntitle: Other\n---\nHi.\n")
    catalog = Catalog([first, second], LIMITS)
    assert catalog.get("note").title == "From A"
    assert catalog.get("other").title == "Other"


def test_two_apps_over_copies_of_one_file_compile_its_body_once(tmp_path):
    """Every app, worker and reload reads the same files: the long bodies are compiled once per process."""
    copies = []
    for name in ("one", "two"):
        directory = tmp_path / name
        directory.mkdir()
        shutil.copy(BUNDLED_TEMPLATES / "condolence.jinja", directory)
        copies.append(catalog_from_config(load_settings({"TEMPLATES": str(directory)})).usable_template("condolence"))
    assert copies[0].path != copies[1].path
    assert copies[0].body is copies[1].body
    (tmp_path / "two" / "condolence.jinja").write_text(
        (tmp_path / "two" / "condolence.jinja").read_text() + "\nWith love.\n", encoding="utf-8")
    changed = catalog_from_config(load_settings({"TEMPLATES": str(tmp_path / "two")})).usable_template("condolence")
    assert changed.body is not copies[0].body
    example = json.loads((BUNDLED_TEMPLATES / "examples" / "condolence.json").read_text(encoding="utf-8"))
    letter, errors = validate_mapping(changed, example)
    assert errors == {}
    assert "With love." in body_paragraphs(render_body(letter))[-1]
