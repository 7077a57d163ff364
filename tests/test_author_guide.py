"""The author's guide tells the truth: its example works as printed, and it covers every field and command."""

import json
import re

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text
from jinja2.defaults import DEFAULT_FILTERS

from letterhouse.cli import cli
from letterhouse.letters.fields import COMMON_FIELDS, FIELD_KEYS, FIELD_TYPES, STYLE_FIELDS
from letterhouse.letters.front_matter import TOP_LEVEL_KEYS
from letterhouse.letters.sandbox import ENVIRONMENT

GUIDE = BUNDLED_TEMPLATES / "README.md"
GUIDE_TEXT = GUIDE.read_text(encoding="utf-8")
EXAMPLE_BLOCK = re.compile(r"<!-- guide-example: (\S+) -->\n```\w*\n(.*?)\n```", re.DOTALL)
LETTER_QUOTE = re.compile(r"The letter reads:\n\n((?:>.*\n)+)")


def guide_files():
    """Return {path under letter_templates/: text} for each file the guide's example gives."""
    return {name: text + "\n" for name, text in EXAMPLE_BLOCK.findall(GUIDE_TEXT)}


def documented_in_a_table(name):
    """Return whether `name` is in the first column of a table row of the guide."""
    return re.search(rf"^\| [^|\n]*`{re.escape(name)}`[^|\n]*\|", GUIDE_TEXT, re.MULTILINE) is not None


@pytest.fixture
def postcard(templates_dir):
    """The guide's example, copied into the running site's templates as an author would."""
    for name, text in guide_files().items():
        (templates_dir / name).write_text(text, encoding="utf-8")
    return templates_dir / "postcard.jinja"


def test_the_guide_gives_a_template_and_its_example():
    assert set(guide_files()) == {"postcard.jinja", "examples/postcard.json"}


def test_the_guides_example_passes_check_without_a_warning(command_line, postcard):
    result = command_line("templates", "check", "--strict", postcard)
    assert result.output == "1 template(s): 0 error(s), 0 warning(s)\n"
    assert result.exit_code == 0


def test_the_guides_example_appears_on_the_running_site(client, templates_dir):
    assert 'href="/letters/postcard"' not in client.get("/").get_data(as_text=True)
    for name, text in guide_files().items():  # copied in while the site runs
        (templates_dir / name).write_text(text, encoding="utf-8")
    gallery = client.get("/").get_data(as_text=True)
    assert 'href="/letters/postcard"' in gallery
    assert "A postcard from a trip" in gallery
    form = client.get("/letters/postcard").get_data(as_text=True)
    assert "Where you are" in form and "You are bringing them something" in form


def test_the_guides_example_writes_the_letter_the_guide_shows(letters, postcard):
    example = json.loads((postcard.parent / "examples" / "postcard.json").read_text())
    typed = {name: "y" if value is True else str(value) for name, value in example.items()}
    preview = letters.submit("postcard", typed)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    pdf = letters.download("postcard", preview.get_data(as_text=True))
    assert pdf.mimetype == "application/pdf"
    quote = LETTER_QUOTE.search(GUIDE_TEXT).group(1)
    shown = " ".join(re.sub(r"^>\s?|<br>", "", line) for line in quote.splitlines())
    assert pdf_text(pdf.data) == " ".join(shown.split())


@pytest.mark.parametrize("name", list(FIELD_TYPES))
def test_the_guide_documents_every_field_type(name):
    assert documented_in_a_table(name)


@pytest.mark.parametrize("name", [spec.name for spec in COMMON_FIELDS + STYLE_FIELDS])
def test_the_guide_documents_every_field_a_letter_has(name):
    assert documented_in_a_table(name)


@pytest.mark.parametrize("key", FIELD_KEYS + TOP_LEVEL_KEYS)
def test_the_guide_documents_every_key_of_the_front_matter(key):
    assert documented_in_a_table(key)


@pytest.mark.parametrize("name", sorted(set(ENVIRONMENT.filters) - set(DEFAULT_FILTERS)))
def test_the_guide_documents_every_letterhouse_filter(name):
    assert documented_in_a_table(name)


@pytest.mark.parametrize("name", sorted(cli.commands["templates"].commands))
def test_the_guide_documents_every_templates_command(name):
    assert f"| `letterhouse templates {name}" in GUIDE_TEXT
