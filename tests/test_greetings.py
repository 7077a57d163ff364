"""A letter greets someone as its writer would, from the whole name typed: "Dear Aunt May,", never "Dear Aunt,"."""

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text

from letterhouse.letters.catalog import load_template
from letterhouse.letters.letter import letter_filename, validate_mapping
from letterhouse.letters.names import greeting_name
from letterhouse.letters.sandbox import ENVIRONMENT

LIMITS = {"string": 200, "text": 4000}

# (the name as typed, what follows "Dear", the download's name for an anniversary letter)
NAMES = [
    # plain names: the first given name
    ("Chris Lindqvist", "Chris", "anniversary-to-chris.pdf"),
    ("Jean-Luc Picard", "Jean-Luc", "anniversary-to-jean-luc.pdf"),
    ("Martin Luther King Jr.", "Martin", "anniversary-to-martin.pdf"),
    ("Cher", "Cher", "anniversary-to-cher.pdf"),
    ("J. R. R. Tolkien", "J. R. R. Tolkien", "anniversary-to-j-r-r-tolkien.pdf"),
    # as people type: lower case, extra spaces
    ("chris lindqvist", "Chris", "anniversary-to-chris.pdf"),
    ("jean-luc picard", "Jean-Luc", "anniversary-to-jean-luc.pdf"),
    ("  Zoë   Lindqvist ", "Zoë", "anniversary-to-zoe.pdf"),
    # titles and honorifics keep the family name, particles and all
    ("Dr. Lee", "Dr. Lee", "anniversary-to-dr-lee.pdf"),
    ("Mrs Patel", "Mrs Patel", "anniversary-to-mrs-patel.pdf"),
    ("Mrs Anita Patel", "Mrs Patel", "anniversary-to-mrs-patel.pdf"),
    ("Prof. Ana Ruiz", "Prof. Ruiz", "anniversary-to-prof-ruiz.pdf"),
    ("professor ana ruiz", "Professor Ruiz", "anniversary-to-professor-ruiz.pdf"),
    ("Prof. Dr. Hans Weber", "Prof. Dr. Weber", "anniversary-to-prof-dr-weber.pdf"),
    ("Dr. Jane Smith, PhD", "Dr. Smith", "anniversary-to-dr-smith.pdf"),
    ("Dr. Ludwig van Beethoven", "Dr. van Beethoven", "anniversary-to-dr-van-beethoven.pdf"),
    ("Mrs Maria de la Cruz", "Mrs de la Cruz", "anniversary-to-mrs-de-la-cruz.pdf"),
    ("Rev. Jane Smith", "Rev. Smith", "anniversary-to-rev-smith.pdf"),
    # Sir and Dame, and family titles, keep the given name
    ("Sir Paul McCartney", "Sir Paul", "anniversary-to-sir-paul.pdf"),
    ("Dame Judi Dench", "Dame Judi", "anniversary-to-dame-judi.pdf"),
    ("Aunt May", "Aunt May", "anniversary-to-aunt-may.pdf"),
    ("aunt may", "Aunt May", "anniversary-to-aunt-may.pdf"),
    ("Aunt May Parker", "Aunt May", "anniversary-to-aunt-may.pdf"),
    ("Uncle Bob", "Uncle Bob", "anniversary-to-uncle-bob.pdf"),
    ("Grandma Jo", "Grandma Jo", "anniversary-to-grandma-jo.pdf"),
    ("Father John Smith", "Father John", "anniversary-to-father-john.pdf"),
    ("Nana", "Nana", "anniversary-to-nana.pdf"),
    ("Sir", "Sir", "anniversary-to-sir.pdf"),
    # families and couples
    ("The Okafors", "Okafors", "anniversary-to-okafors.pdf"),
    ("the okafor family", "Okafor family", "anniversary-to-okafor-family.pdf"),
    ("Maya & Luis", "Maya and Luis", "anniversary-to-maya-and-luis.pdf"),
    ("Maya and Luis Ortega", "Maya and Luis", "anniversary-to-maya-and-luis.pdf"),
    ("Mr and Mrs Smith", "Mr and Mrs Smith", "anniversary-to-mr-and-mrs-smith.pdf"),
    ("Mr. & Mrs. Lee", "Mr. and Mrs. Lee", "anniversary-to-mr-and-mrs-lee.pdf"),
    ("Dr. Lee and Dr. Kim", "Dr. Lee and Dr. Kim", "anniversary-to-dr-lee-and-dr-kim.pdf"),
    ("Anna, Ben and Cleo", "Anna, Ben and Cleo", "anniversary-to-anna-ben-and-cleo.pdf"),
    ("Mum and Dad", "Mum and Dad", "anniversary-to-mum-and-dad.pdf"),
    ("Alexander Anderson", "Alexander", "anniversary-to-alexander.pdf"),  # "and" inside a name parts no one
    # any script: names read whole where the family name comes first, else the given name
    ("王小明", "王小明", "anniversary-to-王小明.pdf"),
    ("山田 太郎", "山田 太郎", "anniversary-to-山田-太郎.pdf"),
    ("김민준", "김민준", "anniversary-to-김민준.pdf"),
    ("Анна Каренина", "Анна", "anniversary-to-анна.pdf"),
    ("Νίκος Καζαντζάκης", "Νίκος", "anniversary-to-νίκος.pdf"),
    ("محمد علي", "محمد", "anniversary-to-محمد.pdf"),
]


@pytest.mark.parametrize("typed, greeted, filename", NAMES, ids=[typed.strip() for typed, _, _ in NAMES])
def test_a_name_is_greeted_and_the_download_named_as_a_letter_writer_would(typed, greeted, filename):
    assert greeting_name(typed) == greeted
    template = load_template(BUNDLED_TEMPLATES / "anniversary.jinja", LIMITS)
    letter, errors = validate_mapping(template, {"sender_name": "Sam", "recipient_name": typed, "years": 3})
    assert errors == {}
    assert letter_filename(letter) == filename


def test_the_body_filters_greet_by_the_whole_name():
    body = ENVIRONMENT.from_string("{{ name|greeting_name }} / {{ name|first_name }}")
    assert body.render(name="Aunt May Parker") == "Aunt May / Aunt May"


def test_a_letter_greets_aunt_may_by_her_name(letters, anniversary_values):
    preview = letters.submit("anniversary", {**anniversary_values, "recipient_name": "Aunt May"})
    response = letters.download("anniversary", preview.get_data(as_text=True))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=anniversary-to-aunt-may.pdf"
    text = pdf_text(response.data)
    assert "Dear Aunt May," in text
    assert "Dear Aunt," not in text


def test_a_greeting_typed_by_the_person_still_wins(letters, anniversary_values):
    values = {**anniversary_values, "recipient_name": "Dr. Lee", "salutation": "Dearest Ji-woo,"}
    response = letters.download("anniversary", letters.submit("anniversary", values).get_data(as_text=True))
    text = pdf_text(response.data)
    assert "Dearest Ji-woo," in text and "Dear Dr. Lee," not in text
