"""A person picks a letter, fills in the form, previews it, edits it and downloads the PDF."""

import re

import pytest
from conftest import pdf_fonts, pdf_page_sizes_mm, pdf_text
from werkzeug.datastructures import MultiDict


def test_gallery_lists_every_bundled_letter_with_its_occasion(client):
    page = client.get("/").get_data(as_text=True)
    for title, occasion in [("An anniversary letter", "anniversary"), ("A thank-you letter", "thanks"),
                            ("A love letter", "love")]:
        assert title in page
        assert occasion in page
    assert 'href="/letters/anniversary"' in page


def test_form_asks_for_the_templates_fields_and_the_common_ones(letters):
    html = letters.open_form("anniversary")
    for name in ["sender_name", "recipient_name", "years", "memory", "date", "salutation", "closing",
                 "signature", "hand", "ink", "paper", "page_size"]:
        assert f'name="{name}"' in html
    assert html.index('name="sender_name"') < html.index('name="years"') < html.index('name="hand"')
    assert "<legend>Pen and paper</legend>" in html
    assert 'name="csrf_token"' in html


def test_template_defaults_fill_the_form(letters):
    html = letters.open_form("anniversary")
    assert 'value="All my love,"' in html
    assert re.search(r'<input type="radio" name="paper" id="paper-cream" value="cream" checked>', html)


def test_missing_and_wrong_values_are_named_next_to_their_fields(letters):
    response = letters.submit("anniversary", {"sender_name": "", "recipient_name": "Chris", "years": "twelve"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please fill in your name." in html
    assert "Years together must be a whole number, like 12." in html
    assert 'value="twelve"' in html  # what was typed stays
    assert 'value="Chris"' in html


def test_out_of_range_number_is_refused(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "years": "400"})
    assert response.status_code == 422
    assert "Years together must be between 1 and 90." in response.get_data(as_text=True)


def test_preview_shows_the_pages_of_the_pdf(letters, anniversary_values):
    response = letters.submit("anniversary", anniversary_values)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('src="data:image/png;base64,') >= 1
    assert "Download PDF" in html and ">Edit<" in html


def test_edit_keeps_everything_typed(letters, anniversary_values):
    typed = {**anniversary_values, "memory": "Zoë's first snow,\nand the sledge", "place": "Kraków",
             "sender_address": "12 Rue Oberkampf\n75011 Paris"}
    preview = letters.submit("anniversary", typed).get_data(as_text=True)
    edit = letters.edit("anniversary", preview)
    assert edit.status_code == 200
    html = edit.get_data(as_text=True)
    assert "Zoë&#39;s first snow,\nand the sledge</textarea>" in html
    assert 'value="Kraków"' in html
    assert "12 Rue Oberkampf\n75011 Paris</textarea>" in html
    assert 'value="Sam Okafor"' in html
    assert "is-invalid" not in html and 'class="error"' not in html


def test_download_is_the_letter_in_a_handwriting_font(letters, anniversary_values):
    preview = letters.submit("anniversary", anniversary_values).get_data(as_text=True)
    response = letters.download("anniversary", preview)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=anniversary-to-chris.pdf"
    text = pdf_text(response.data)
    assert "Dear Chris," in text
    assert "Sam Okafor" in text
    assert "Lyon" in text
    assert "All my love," in text
    assert pdf_fonts(response.data) == {"Caveat"}
    assert pdf_page_sizes_mm(response.data)[0] == (210, 297)


@pytest.mark.parametrize("hand, font", [("caveat", "Caveat"), ("kalam", "Kalam"),
                                        ("homemade-apple", "Homemade Apple"), ("dancing-script", "Dancing Script")])
def test_pdf_is_written_in_the_chosen_hand(letters, anniversary_values, hand, font):
    preview = letters.submit("anniversary", {**anniversary_values, "hand": hand}).get_data(as_text=True)
    fonts = pdf_fonts(letters.download("anniversary", preview).data)
    assert font.replace(" ", "-") in fonts or font.replace(" ", "") in fonts, fonts


@pytest.mark.parametrize("size, mm", [("A4", (210, 297)), ("Letter", (216, 279)), ("A5", (148, 210))])
def test_page_size_is_the_one_chosen(letters, anniversary_values, size, mm):
    preview = letters.submit("anniversary", {**anniversary_values, "page_size": size}).get_data(as_text=True)
    assert set(pdf_page_sizes_mm(letters.download("anniversary", preview).data)) == {mm}


def test_write_it_again_keeps_the_words_and_changes_the_seed(letters, anniversary_values):
    first = letters.submit("anniversary", anniversary_values).get_data(as_text=True)
    seed = dict(letters.carried(first))["seed"]
    again = letters.client.post("/letters/anniversary", data=MultiDict(letters.carried(first) + [
        ("csrf_token", letters.csrf_token(first)), ("action", "rewrite")])).get_data(as_text=True)
    carried = dict(letters.carried(again))
    assert carried["seed"] != seed
    assert carried["recipient_name"] == "Chris Lindqvist"


def test_an_expired_csrf_token_keeps_the_letter(client, anniversary_values):
    response = client.post("/letters/anniversary", data={**anniversary_values, "csrf_token": "stale"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Everything you typed is still here" in html
    assert 'value="Sam Okafor"' in html
    assert "the night the car broke down outside Lyon</textarea>" in html


def test_unknown_letter_is_a_clear_404(client):
    response = client.get("/letters/no-such-letter")
    assert response.status_code == 404
    assert "There is no letter called “no-such-letter”." in response.get_data(as_text=True)


def test_optional_numbers_and_dates_left_empty_are_accepted(letters):
    values = {"sender_name": "Ana", "recipient_name": "Jo", "memory": "the summer at the lake",
              "years_apart": "", "date": "", "how_met": "", "hand": "caveat", "ink": "black",
              "paper": "white", "page_size": "A4"}
    response = letters.submit("reconnection", values)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]


def test_a_required_number_left_empty_says_so(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "years": ""})
    assert response.status_code == 422
    assert "Please fill in years together." in response.get_data(as_text=True)
