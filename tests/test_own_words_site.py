"""On the site: Preview, Edit the words, Preview again, Download; a detail changed afterwards asks first."""

import html as html_module
import re

import pytest
from conftest import pdf_shows
from werkzeug.datastructures import MultiDict

TEMPLATES_SENTENCE = "I wanted to mark it with more than a card"
MY_SENTENCE = "Twelve years, and you still laugh at the same bad joke about the ferry."


class OwnWords:
    """What a person does with the words: open them from the preview, change them, go on from any page."""

    def __init__(self, letters):
        self.letters = letters

    def post(self, page_html, action, **changes):
        """Press a button on a page: its hidden values and CSRF token go with it, `changes` typed over them."""
        data = [(name, value) for name, value in self.letters.carried(page_html) if name not in changes]
        data += [*changes.items(), ("csrf_token", self.letters.csrf_token(page_html)), ("action", action)]
        return self.letters.client.post("/letters/anniversary", data=MultiDict(data))

    def preview(self, values):
        response = self.letters.submit("anniversary", values)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def open_words(self, preview_html):
        response = self.post(preview_html, "words")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def edited_preview(self, values):
        """Return the preview of the anniversary letter with its second paragraph in Sam's words."""
        words_page = self.open_words(self.preview(values))
        response = self.post(words_page, "preview", letter_text=my_edit(textarea(words_page)))
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True)

    def form_after_edit(self, preview_html, **changes):
        """Return the form page from the preview's Edit, the way the browser posts its fields back."""
        page = self.post(preview_html, "edit").get_data(as_text=True)
        fields = dict(self.letters.carried(preview_html))
        fields["letter_text"] = textarea(page)
        fields.update(changes)
        return page, fields

    def submit_form(self, form_html, fields, action="preview"):
        data = [*fields.items(), ("csrf_token", self.letters.csrf_token(form_html)), ("action", action)]
        return self.letters.client.post("/letters/anniversary", data=MultiDict(data))


@pytest.fixture
def words(letters):
    return OwnWords(letters)


def textarea(page_html, name="letter_text"):
    """Return the text a page's textarea holds, as the browser shows it."""
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page_html, re.S)
    return html_module.unescape(found.group(1)).removeprefix("\r\n").removeprefix("\n")


def my_edit(text):
    """Return the letter's text with its second paragraph rewritten."""
    paragraphs = text.replace("\r\n", "\n").split("\n\n")
    paragraphs[1] = MY_SENTENCE
    return "\r\n\r\n".join(paragraphs)


def letter_words_on(preview_html):
    """Return the words the preview offers to read (to a screen reader, or anyone), without markup."""
    found = re.search(r'<details class="letter-words">(.*?)</details>', preview_html, re.S).group(1)
    return html_module.unescape(" ".join(re.sub(r"<[^>]+>", " ", found).split()))


def test_the_preview_has_an_edit_the_words_button(words, anniversary_values):
    assert re.search(r'<button[^>]*name="action" value="words"[^>]*>Edit the words</button>',
                     words.preview(anniversary_values))


def test_edit_the_words_opens_the_letter_as_the_template_wrote_it(words, anniversary_values):
    page = words.open_words(words.preview(anniversary_values))
    text = textarea(page)
    assert text.startswith("Dear Chris,\n\n")
    assert TEMPLATES_SENTENCE in text and "the night the car broke down outside Lyon" in text
    assert text.rstrip().endswith("Sam Okafor")
    assert "Preview again" in page


def test_preview_edit_the_words_preview_again_and_download_the_letter_in_my_words(words, letters, anniversary_values):
    preview = words.edited_preview(anniversary_values)
    assert MY_SENTENCE in letter_words_on(preview)
    assert TEMPLATES_SENTENCE not in letter_words_on(preview)
    assert 'value="rewrite"' not in preview  # "Write it again" finds other phrasings: these words are theirs
    pdf = letters.download("anniversary", preview)
    assert pdf.mimetype == "application/pdf"
    assert pdf_shows(pdf.data, MY_SENTENCE) and not pdf_shows(pdf.data, TEMPLATES_SENTENCE)
    assert pdf_shows(pdf.data, "Dear Chris,") and pdf_shows(pdf.data, "Sam Okafor")


def test_edit_the_words_again_starts_from_my_words(words, anniversary_values):
    page = words.open_words(words.edited_preview(anniversary_values))
    assert MY_SENTENCE in textarea(page) and TEMPLATES_SENTENCE not in textarea(page)
    assert "Start again from the template’s words" in page


def test_edit_brings_back_the_form_with_my_words_in_it(words, anniversary_values):
    page, _ = words.form_after_edit(words.edited_preview(anniversary_values))
    assert MY_SENTENCE in textarea(page)
    assert re.search(r'<fieldset class="group group-words" data-own-words>', page)  # shown, not hidden


def test_editing_the_words_keeps_the_seed(words, letters, anniversary_values):
    template_preview = words.preview(anniversary_values)
    own_preview = words.edited_preview(anniversary_values)
    assert dict(letters.carried(own_preview))["seed"] == dict(letters.carried(template_preview))["seed"]


def test_changing_a_detail_after_editing_asks_to_keep_my_words_or_rewrite(words, anniversary_values):
    page, fields = words.form_after_edit(words.edited_preview(anniversary_values), recipient_name="Alex")
    response = words.submit_form(page, fields)
    asked = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You have written this letter in your own words" in asked and "“Their name”" in asked
    assert re.search(r'<section class="notice words-choice"[^>]*role="alert"', asked)
    assert 'value="keep-words"' in asked and 'value="template-words"' in asked
    assert MY_SENTENCE in textarea(asked)  # nothing typed is thrown away while they choose


def test_keep_my_words_previews_them_with_the_new_details(words, letters, anniversary_values):
    page, fields = words.form_after_edit(words.edited_preview(anniversary_values), recipient_name="Alex")
    asked = words.submit_form(page, fields).get_data(as_text=True)
    kept = words.submit_form(asked, fields, action="keep-words").get_data(as_text=True)
    assert "Your letter to Alex" in kept
    assert MY_SENTENCE in letter_words_on(kept) and "Dear Chris," in letter_words_on(kept)
    assert pdf_shows(letters.download("anniversary", kept).data, MY_SENTENCE)
    edit_again, fields = words.form_after_edit(kept, place="Porto")  # asked again only about the next change
    assert "“Written from”" in words.submit_form(edit_again, fields).get_data(as_text=True)


def test_rewrite_from_the_template_writes_it_for_the_new_details(words, letters, anniversary_values):
    page, fields = words.form_after_edit(words.edited_preview(anniversary_values), recipient_name="Alex")
    asked = words.submit_form(page, fields).get_data(as_text=True)
    rewritten = words.submit_form(asked, fields, action="template-words").get_data(as_text=True)
    assert "Dear Alex," in letter_words_on(rewritten) and TEMPLATES_SENTENCE in letter_words_on(rewritten)
    assert MY_SENTENCE not in letter_words_on(rewritten)
    assert dict(letters.carried(rewritten))["letter_text"] == ""
    pdf = letters.download("anniversary", rewritten).data
    assert pdf_shows(pdf, "Dear Alex,") and not pdf_shows(pdf, MY_SENTENCE)


def test_a_style_change_after_editing_asks_nothing(words, anniversary_values):
    page, fields = words.form_after_edit(words.edited_preview(anniversary_values), ink="black", hand="kalam")
    response = words.submit_form(page, fields)
    assert "Your letter to Chris" in response.get_data(as_text=True)
    assert MY_SENTENCE in letter_words_on(response.get_data(as_text=True))


def test_words_opened_but_left_as_they_were_are_the_templates_and_ask_nothing(words, anniversary_values):
    words_page = words.open_words(words.preview(anniversary_values))
    back = words.post(words_page, "edit", letter_text=textarea(words_page)).get_data(as_text=True)
    assert re.search(r'<fieldset class="group group-words" data-own-words hidden>', back)
    fields = {**dict(words.letters.carried(back)), **anniversary_values, "recipient_name": "Alex"}
    rewritten = words.submit_form(back, fields).get_data(as_text=True)
    assert "Dear Alex," in letter_words_on(rewritten)


def test_the_live_preview_says_which_details_changed_since_the_words_were_edited(words, anniversary_values):
    page, fields = words.form_after_edit(words.edited_preview(anniversary_values), recipient_name="Alex")
    data = MultiDict([*fields.items(), ("csrf_token", words.letters.csrf_token(page))])
    answer = words.letters.client.post("/letters/anniversary/preview.json", data=data).get_json()
    assert answer["words_changed"] == "“Their name”" and answer["pages"]
    data.setlist("recipient_name", ["Chris Lindqvist"])
    assert words.letters.client.post("/letters/anniversary/preview.json", data=data).get_json()["words_changed"] == ""


def test_words_too_long_are_refused_naming_the_field_and_kept_whole(words, anniversary_values):
    words_page = words.open_words(words.preview(anniversary_values))
    too_long = "x" * 10_001
    response = words.post(words_page, "preview", letter_text=too_long)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The letter in your words can be at most 10000 characters." in page
    assert textarea(page) == too_long


def test_markup_and_template_code_in_my_words_are_shown_and_printed_as_typed(words, letters, anniversary_values):
    hostile = "<b>bold</b> {{ 7*7 }} {% if true %}x{% endif %} <script>alert(1)</script>"
    words_page = words.open_words(words.preview(anniversary_values))
    preview = words.post(words_page, "preview", letter_text=f"Dear Chris,\n\n{hostile}\n\nLove,\nSam")
    page = preview.get_data(as_text=True)
    assert "<b>bold</b>" not in page and "<script>alert(1)</script>" not in page
    assert hostile in letter_words_on(page)
    pdf = letters.download("anniversary", page).data
    assert pdf_shows(pdf, hostile) and not pdf_shows(pdf, "49")


def test_the_preview_gives_the_letters_words_to_read_before_downloading(words, anniversary_values):
    readable = letter_words_on(words.preview(anniversary_values))
    assert readable.startswith("Read the words of your letter Dear Chris,")
    assert "the night the car broke down outside Lyon" in readable and readable.endswith("Sam Okafor")
