"""`letterhouse bench`: the floor it measures against is the letter's own words in a plain hand font."""

import json

import pdfplumber
from conftest import pdf_text

from letterhouse.bench.sections import BENCH_SLUG, bench_letter, plain_font_page
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.letters.styles import HANDS
from letterhouse.letters.wording import body_paragraphs, render_body
from letterhouse.render.pdf import get_renderer


def test_the_floor_is_the_letters_paragraphs_in_the_hands_plain_font_on_a4(app, tmp_path):
    letter = bench_letter(catalog_from_config(app.config), BENCH_SLUG, hand="kalam")
    html, css = plain_font_page(letter)
    renderer = get_renderer()
    path = tmp_path / "floor.pdf"
    path.write_bytes(renderer.plain_pdf(html, [renderer.parsed_css(css)]))
    text = pdf_text(path.read_bytes())
    assert letter.values["recipient_name"] not in text  # no greeting, address or date: the body only
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        fonts = {char["fontname"].split("+")[-1] for char in page.chars}
    assert fonts == {"Plain-hand"}
    assert f"url(fonts/{HANDS['kalam'].font_file})" in css  # the face itself, not its varied bake
    first_words = " ".join(body_paragraphs(render_body(letter))[0][0].split()[:4])
    assert first_words in text


def test_the_bench_prints_the_floor_and_the_old_comparison_and_writes_json(command_line, tmp_path):
    result = command_line("bench", "--only", "warm", "--rounds", "1", "--json", tmp_path / "bench.json")
    assert result.exit_code == 0, result.output
    assert "plain-font floor" in result.output and "against its own HTML and CSS" in result.output
    warm = json.loads((tmp_path / "bench.json").read_text())["warm_letter"]
    assert warm["plain_font_floor_ms"] > 0 and warm["ratio"] > 1
    assert set(json.loads((tmp_path / "bench.json").read_text())) == {"machine", "warm_letter"}
