"""`letterhouse realism`: a page measured for the tells of a computer, so the pen's work can be judged."""

import json

import pytest

from letterhouse.render.pdf import get_renderer
from letterhouse.render.realism_measure import measure_pdf

# The face exactly as drawn, with none of the baked variants (see realism.UNVARIED_FEATURES).
ONE_SHAPE = "font-feature-settings: 'calt' 0, 'ss20' 1, 'liga' 0"


def page_pdf(tmp_path, body, style=ONE_SHAPE, name="page.pdf"):
    """Write a page of plain HTML in Caveat (a hand's own registered font) and return its path."""
    renderer = get_renderer()
    html = (f'<html><body style="font-family: Caveat; font-size: 20pt; margin: 20mm; line-height: 10mm; {style}">'
            f"{body}</body></html>")
    path = tmp_path / name
    path.write_bytes(renderer.plain_pdf(html, renderer.stylesheets))
    return path


def test_a_word_printed_again_larger_or_turned_is_caught_as_a_clone(tmp_path):
    path = page_pdf(tmp_path, "<p>the quick fox</p><p style='font-size: 26pt'>brown the dog</p>"
                              "<p style='transform: rotate(3deg); transform-origin: 0 50%'>jumps over the cat</p>"
                              "<p>the end</p>")
    words = measure_pdf(path)["repeated_words"]
    assert words["words"]["the"]["count"] == 4
    assert words["pairs"] == 6 and words["pairs_at_or_above"] == 6  # 1.3 times larger, or turned 3 degrees
    assert words["most_alike"] >= 0.99 and words["most_alike_word"] == "the"


def test_the_same_word_in_three_different_hands_is_not_a_clone(tmp_path):
    path = page_pdf(tmp_path, "<p>the <span style='font-family: Kalam'>the</span> "
                              "<span style='font-family: \"Homemade Apple\"'>the</span></p>")
    words = measure_pdf(path)["repeated_words"]
    assert words["pairs"] == 3
    assert words["pairs_at_or_above"] == 0 and words["most_alike"] < 0.9


def test_lines_set_by_a_computer_have_exact_gaps_and_no_slope(tmp_path):
    line = "a line of words set by a machine"
    paragraphs = "".join(f"<p style='margin: 0 0 10mm'>{line}<br>{line}<br>{line}</p>" for _ in range(3))
    layout = measure_pdf(page_pdf(tmp_path, paragraphs))["layout"]
    assert layout["body_lines"] == 9
    assert layout["line_gap_mm"] == pytest.approx(10, abs=0.1) and layout["line_gap_mm_spread"] < 0.1
    assert layout["paragraph_gap_in_lines"] == [pytest.approx(2, abs=0.03)] * 2
    assert layout["paragraph_gap_off_whole"] < 0.03
    assert layout["slope_deg_largest"] < 0.2 and layout["left_margin_mm_spread"] < 0.2


def test_lines_written_at_a_slant_show_their_slope(tmp_path):
    line = "a line of words that climbs"
    body = "".join(f"<p style='transform: rotate({-2 * turn}deg); transform-origin: 0 50%; margin: 0'>{line}</p>"
                   for turn in range(4))
    layout = measure_pdf(page_pdf(tmp_path, body))["layout"]
    assert layout["slope_deg_largest"] == pytest.approx(6, abs=0.5)
    assert layout["slope_deg_change_median"] == pytest.approx(2, abs=0.4)


def test_a_typeset_ligature_is_counted(tmp_path):
    path = page_pdf(tmp_path, "<p>the first find</p>", style="font-family: Kalam; font-variant-ligatures: normal")
    assert measure_pdf(path)["ligatures"]["which"] == {"fi": 2}
    plain = page_pdf(tmp_path, "<p>the first find</p>", style=f"font-family: Kalam; {ONE_SHAPE}", name="p.pdf")
    assert measure_pdf(plain)["ligatures"] == {"count": 0, "which": {}}


def test_flat_ink_is_mostly_one_colour_on_white(tmp_path):
    path = page_pdf(tmp_path, "<p style='color: rgb(20 30 90); font-size: 40pt'>ink all one colour</p>")
    ink = measure_pdf(path)["ink"]
    assert ink["darkness_iqr_median"] < 0.02
    assert ink["most_common_colour_share"] > 0.5


def test_the_command_prints_a_table_with_the_goals_and_json_on_request(command_line, tmp_path):
    path = page_pdf(tmp_path, "<p>the cat and the dog and the bird</p>")
    table = command_line("realism", path)
    assert table.exit_code == 0, table.output
    assert "pairs at 0.9 or more" in table.output and "ligature glyphs" in table.output
    figures = json.loads(command_line("realism", path, "--json").output)
    assert figures["repeated_words"]["words"]["the"]["count"] == 3
    assert set(figures) >= {"repeated_words", "ink", "layout", "ligatures"}


def test_the_command_names_a_missing_page_or_a_file_that_is_not_a_pdf(command_line, tmp_path):
    path = page_pdf(tmp_path, "<p>one page</p>")
    result = command_line("realism", path, "--page", "2")
    assert result.exit_code == 1 and "has 1 page(s); there is no page 2" in result.output
    (tmp_path / "notes.pdf").write_text("not a pdf")
    result = command_line("realism", tmp_path / "notes.pdf")
    assert result.exit_code == 1 and "cannot be read as a PDF" in result.output
