"""Every script a person may type comes out in a hand: never boxes, never a system font."""

import io

import pdfplumber
import pytest
from conftest import pdf_fonts, pdf_text

from letterhouse.letters.letter import validate_mapping
from letterhouse.render.glyph_coverage import NOBODY, Run, coverage_notes, unwritable_characters, written_runs
from letterhouse.render.hands import HANDS, all_faces
from letterhouse.render.letter_pdf import write_letter_pdf

SCRIPTS = {
    "latin-accents": "Zoë, Ægir, Łódź, Żółć, Příliš žluťoučký kůň, Árvíztűrő, Ğüneş",
    "cyrillic": "Привет, как дела у тебя",
    "greek": "Γειά σου, φίλε μου",
    "devanagari": "नमस्ते दोस्त",
    "arabic": "شكرا جزيلا",
    "chinese": "你好，我的朋友",
    "japanese": "こんにちは、山田さん",
    "korean": "안녕하세요 친구",
}
SCRIPT_FACES = {  # the face each script is written in by a hand that cannot write it itself
    "greek": "Mansalva", "devanagari": "Kalam", "arabic": "Aref-Ruqaa", "chinese": "Ma-Shan-Zheng",
    "japanese": "Yomogi", "korean": "Nanum-Pen-Script",
}


def pdf_font_name(face):
    """Return the name WeasyPrint gives a face's font in the PDF: its family, hyphenated."""
    return face.family.replace(" ", "-")


BUNDLED_FONTS = {pdf_font_name(face) for face in all_faces().values()}


def only_bundled_fonts(pdf):
    """Return whether every font the PDF draws with is a bundled face (in any of its weights)."""
    return all(any(font.startswith(name) for name in BUNDLED_FONTS) for font in pdf_fonts(pdf))


def letter_pdf(app, hand, memory, **values):
    """Return the PDF of the anniversary letter with `memory` typed into its memory field."""
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        data = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "years": "12",
                "memory": memory, "hand": hand, "paper": "white", **values}
        letter, errors = validate_mapping(template, data)
        assert errors == {}
        return write_letter_pdf(letter).pdf


def fonts_drawing(pdf, text):
    """Return {letter: font names} for every letter of `text` that the PDF draws."""
    wanted, found = {c for c in text if c.isalpha()}, {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for char in page.chars:
                if char["text"] in wanted:
                    found.setdefault(char["text"], set()).add(char["fontname"].split("+", 1)[-1])
    return found


@pytest.mark.parametrize("hand", list(HANDS))
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_every_hand_has_a_face_for_every_script(hand, script):
    for run in written_runs(SCRIPTS[script], hand):
        assert run.face is not NOBODY
    assert "".join(run.text for run in written_runs(SCRIPTS[script], hand)) == SCRIPTS[script]


@pytest.mark.parametrize("hand", ["caveat", "homemade-apple", "great-vibes"])
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_each_script_is_written_in_a_bundled_hand(app, hand, script):
    pdf = letter_pdf(app, hand, f"we said {SCRIPTS[script]} at the door")
    assert only_bundled_fonts(pdf)  # no system font stepped in, so no boxes either
    drawn = fonts_drawing(pdf, SCRIPTS[script])
    if script in SCRIPT_FACES:
        assert {font for fonts in drawn.values() for font in fonts} == {SCRIPT_FACES[script]}
    if script in ("chinese", "japanese"):  # no spaces between words, so extraction's guessed ones don't count
        assert SCRIPTS[script] in pdf_text(pdf).replace(" ", "")
    elif script != "arabic":  # Arabic letters join into shapes that extract imperfectly; see below
        assert SCRIPTS[script] in pdf_text(pdf)


def test_a_hand_without_central_european_letters_borrows_them_from_a_cursive_hand(app):
    pdf = letter_pdf(app, "homemade-apple", "the summer in Łódź, Żółć and żurek", recipient_name="Zoë")
    drawn = fonts_drawing(pdf, "źŻżć")
    assert set(drawn) == set("źŻżć")
    assert all(fonts == {"Marck-Script"} for fonts in drawn.values())
    assert fonts_drawing(pdf, "Zoë")["ë"] == {pdf_font_name(HANDS["homemade-apple"])}  # what it has, it writes


def test_arabic_inside_an_english_sentence_reads_right_to_left(app):
    pdf = letter_pdf(app, "caveat", "we said شكرا جزيلا to the waiter")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
    arabic = {c["text"]: c["x0"] for c in chars if c["fontname"].endswith("Aref-Ruqaa")}
    said = max(c["x0"] for c in chars if c["text"] == "d" and c["x0"] < min(arabic.values()))
    assert said < arabic["ج"] < arabic["ش"]  # the first word (شكرا) sits to the right of the second


def test_han_characters_are_written_as_chinese_unless_the_letter_has_kana(app):
    chinese = fonts_drawing(letter_pdf(app, "caveat", "我的朋友"), "我的朋友")
    japanese = fonts_drawing(letter_pdf(app, "caveat", "我の朋友です"), "我朋友")
    assert {font for fonts in chinese.values() for font in fonts} == {"Ma-Shan-Zheng"}
    assert {font for fonts in japanese.values() for font in fonts} == {"Yomogi"}


def test_characters_no_hand_can_write_are_left_out_and_named_by_field(app):
    memory = "the picnic 🧺 in the rain"
    pdf = letter_pdf(app, "caveat", memory, closing="Love ❤️")
    assert only_bundled_fonts(pdf)
    assert "the picnic in the rain" in " ".join(pdf_text(pdf).split())
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("anniversary")
        letter, _ = validate_mapping(template, {"sender_name": "Sam", "recipient_name": "Chris", "years": "3",
                                                "memory": memory, "closing": "Love ❤️"})
    notes = {note.field: note for note in coverage_notes(letter)}
    assert set(notes) == {"memory", "closing"}
    assert notes["memory"].characters == ("🧺",)
    assert notes["closing"].as_dict()["characters"] == ["❤"]  # the emoji selector is not a character to warn of
    assert notes["memory"].message == (
        "A memory you share: no hand we have can write 🧺 (basket), so it will be left out.")
    assert notes["closing"].message.endswith("can write ❤ (heavy black heart), so it will be left out.")


def test_the_preview_warns_above_the_pages_about_characters_left_out(letters, anniversary_values):
    html = letters.submit("anniversary", {**anniversary_values, "memory": "our walk 🥾 on the cliffs"}).get_data(
        as_text=True)
    notice = html[html.index('class="notice coverage-notice"'):html.index('class="pages"')]
    assert 'role="status"' in notice
    assert "A memory you share" in notice and "🥾" in notice and "will be left out" in notice


def test_a_letter_every_hand_can_write_shows_no_warning(letters, anniversary_values):
    html = letters.submit("anniversary", {**anniversary_values, "memory": "Łódź, Αθήνα, 東京"}).get_data(as_text=True)
    assert "coverage-notice" not in html



def test_a_phrase_in_another_script_stays_one_run_spaces_and_all():
    runs = written_runs("we said شكرا جزيلا, twice", "caveat")
    assert Run("شكرا جزيلا", "aref-ruqaa") in runs
    assert "".join(run.text for run in runs) == "we said شكرا جزيلا, twice"


def test_an_emoji_leaves_with_its_joiners_and_selectors():
    runs = written_runs("a 👨\u200d👩\u200d👧 b ❤\ufe0f c", "caveat")
    assert "".join(run.text for run in runs) == "a  b  c"
    assert unwritable_characters("👨\u200d👩\u200d👧 ❤\ufe0f") == ("👨", "👩", "👧", "❤")
