"""A letter body is prose: tag-only lines vanish, phrasing varies by seed, stray punctuation is tidied."""

import re

from letterhouse.letters.names import greeting_name
from letterhouse.letters.sandbox import ENVIRONMENT, long_date
from letterhouse.letters.wording import body_paragraphs


def render(source, **values):
    return ENVIRONMENT.from_string(source).render(values)


def test_lines_holding_only_tags_vanish_but_inline_tags_keep_their_newline():
    source = "One{% if x %} and x{% endif %}\n{% if y %}\nWhy.\n{% endif %}\nTwo\n"
    assert render(source, x=True, y=False) == "One and x\nTwo"


def test_the_same_seed_always_picks_the_same_phrasing():
    source = "{% choose %}Alpha{% or %}Beta{% or %}Gamma{% endchoose %}"
    picks = {seed: render(source, letter_seed=seed) for seed in range(30)}
    assert picks == {seed: render(source, letter_seed=seed) for seed in range(30)}
    assert set(picks.values()) == {"Alpha", "Beta", "Gamma"}


def test_two_choices_on_one_line_are_picked_independently():
    source = "{% choose %}A{% or %}B{% endchoose %} {% choose %}A{% or %}B{% endchoose %}"
    outcomes = {render(source, letter_seed=seed) for seed in range(40)}
    assert {"A B", "B A"} & outcomes


def test_a_detail_typed_with_its_own_full_stop_does_not_double_it():
    assert body_paragraphs("I remember Lyon.. Do you?. Wait... yes!.") == [["I remember Lyon. Do you? Wait... yes!"]]


def test_filters_write_names_and_dates_as_a_person_would():
    assert greeting_name("  Zoë  Lindqvist ") == "Zoë"
    assert long_date("2026-02-04") == "4 February 2026"
    assert long_date("") == ""


def test_a_line_holding_only_a_comment_vanishes_too():
    assert render("First.\n{# a note to myself #}\nSecond.\n") == "First.\nSecond."


def test_lines_broken_by_hand_are_set_as_verse_without_a_first_line_indent(app, templates_dir):
    from letterhouse.letters.letter import validate_mapping
    from letterhouse.render.compose import compose_letter_html

    (templates_dir / "poem.jinja").write_text("---\ntitle: Poem\n---\nA prose paragraph.\n\n"
                                              "Roses are red,\nviolets are blue.\n")
    with app.app_context():
        template = app.extensions["letterhouse.letters.catalog"].get("poem")
        html = compose_letter_html(validate_mapping(template, {"sender_name": "A", "recipient_name": "B"})[0])
    html = re.sub(r' style="[^"]*"', "", html)  # each paragraph's seeded look (realism.Looks)
    assert '<p class="verse">Roses are red,<br>' in html.replace("\n", "")
    assert "<p>A prose paragraph.</p>" in html
