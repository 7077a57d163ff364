"""Nothing typed is cut, impossible dates are errors, and no two fields of a letter share a label."""

import html
import re

import pytest
from conftest import ANNIVERSARY, PINNED_TODAY, pdf_shows, pdf_text

from letterhouse.letters.field_types import FIELD_TYPES

MEMORY = ("the summer we painted the boat and it rained on every coat, " * 7)[:403]  # 403 characters


def textarea_value(page, name):
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return re.sub(r"^\r?\n", "", html.unescape(match.group(1)))  # HTML drops a first newline


def control_tag(page, name):
    return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)


def field_error(page, name):
    match = re.search(rf'id="{name}-error">([^<]*)<', page)
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def catalog(app):
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"]


# --- nothing is cut ---

def test_a_memory_over_the_limit_comes_back_whole_with_the_error_beside_it(letters):
    assert len(MEMORY) == 403
    response = letters.submit("anniversary", {**ANNIVERSARY, "memory": MEMORY})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert textarea_value(page, "memory") == MEMORY
    assert field_error(page, "memory") == "A memory you share can be at most 400 characters."


def test_a_name_over_the_limit_comes_back_whole(letters, app):
    name = "Wolfeschlegelsteinhausenbergerdorff " * 9  # 324 characters
    response = letters.submit("anniversary", {**ANNIVERSARY, "recipient_name": name})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'value="{name}"' in control_tag(page, "recipient_name")
    assert "at most" in field_error(page, "recipient_name")


@pytest.mark.parametrize("slug", ["anniversary", "condolence", "reference"])
def test_no_field_is_cut_by_the_browser_and_each_says_its_limit(letters, slug):
    page = letters.open_form(slug)
    typed_in = re.findall(r'<textarea[^>]*>|<input[^>]*type="text"[^>]*>', page)
    assert len(typed_in) >= 5
    assert [tag for tag in typed_in if "maxlength" in tag] == []
    assert [tag for tag in typed_in if not re.search(r'data-limit="\d+"', tag)] == []


def test_the_templates_own_limit_is_the_one_counted(letters):
    assert 'data-limit="400"' in control_tag(letters.open_form("anniversary"), "memory")


def test_a_memory_at_the_limit_is_written_in_full(letters):
    memory = MEMORY[:400]
    preview = letters.submit("anniversary", {**ANNIVERSARY, "memory": memory})
    assert preview.status_code == 200
    pdf = letters.download("anniversary", preview.get_data(as_text=True)).data
    assert pdf_shows(pdf, memory[-60:])


def test_a_line_break_counts_as_one_character_though_the_browser_sends_two(letters):
    memory = "a" * 199 + "\r\n" + "b" * 200  # 400 as a person counts, 401 as a browser sends a text box
    preview = letters.submit("anniversary", {**ANNIVERSARY, "memory": memory})
    assert preview.status_code == 200, field_error(preview.get_data(as_text=True), "memory")
    assert pdf_shows(letters.download("anniversary", preview.get_data(as_text=True)).data, "b" * 60)


# --- impossible dates are errors ---

@pytest.mark.parametrize("typed", ["2026-02-31", "22026-02-14", "31/02/2026", "0999-12-31", "3000-01-01",
                                   "2026-13-01", "14 February"])
def test_an_impossible_date_is_an_error_beside_the_field_never_today(letters, typed):
    response = letters.submit("anniversary", {**ANNIVERSARY, "date": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "date").startswith("Date must be a date")
    assert f'value="{typed}"' in control_tag(page, "date")


@pytest.mark.parametrize("typed", ["1000-01-01", "2999-12-31"])
def test_a_real_date_is_the_letters_date(letters, typed):
    preview = letters.submit("anniversary", {**ANNIVERSARY, "date": typed})
    assert preview.status_code == 200
    assert ("date", typed) in letters.carried(preview.get_data(as_text=True))


@pytest.mark.parametrize(("typed", "written"), [("2026-02-14", "14 February 2026"), ("", "15 June 2026")])
def test_the_letter_is_dated_as_typed_or_today_when_left_empty(letters, typed, written):
    assert PINNED_TODAY.isoformat() == "2026-06-15"
    preview = letters.submit("anniversary", {**ANNIVERSARY, "date": typed})
    pdf = letters.download("anniversary", preview.get_data(as_text=True)).data
    assert pdf_text(pdf).startswith(written)


@pytest.mark.parametrize("value", ["22026-02-14", "0999-01-01", "2026-02-31"])
def test_a_json_date_out_of_the_calendar_is_refused(value):
    with pytest.raises(ValueError):
        FIELD_TYPES["date"].read(value, "json")


# --- distinct labels ---

def test_no_two_fields_of_any_template_share_a_label(catalog):
    templates = catalog.templates()
    assert len(templates) > 10
    for template in templates:
        labels = [spec.label.strip().lower() for spec in template.all_fields]
        repeated = {label for label in labels if labels.count(label) > 1}
        assert not repeated, f"{template.slug}: more than one field labelled {sorted(repeated)}"


def test_the_signature_words_and_the_signature_hand_are_told_apart(letters):
    page = letters.open_form("anniversary")
    labels = [html.unescape(label) for label in re.findall(r'class="field-label"[^>]*>([^<]+)<', page)]
    assert "Your signature" in labels and "Signature handwriting" in labels
    assert "Signature" not in labels
