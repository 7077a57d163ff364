"""Waste removed from every render and every start (issue 15), without changing a letter's pages."""

import ctypes.util
import io
import json
import subprocess
import sys

import pypdfium2
import pytest
from pypdf import PdfReader

from letterhouse.letters.catalog import example_values
from letterhouse.letters.letter import validate_mapping
from letterhouse.render.compose import compose_letter_html
from letterhouse.render.hands import STATIC_FONTS, font_info, font_metrics
from letterhouse.render.library_lookup import cached_sonames, finder
from letterhouse.render.pdf import deflate_streams_once, get_renderer
from letterhouse.render.realism import letter_css


@pytest.fixture
def thank_you(letters):
    """The thank-you letter's example, as a Letter with a fixed seed."""
    template = letters.get("thank-you")
    letter, errors = validate_mapping(template, {**example_values(template), "seed": 7}, "json")
    assert not errors
    return letter


@pytest.fixture
def letters(app):
    return app.extensions["letterhouse.letters.catalog"]


def page_pixels(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=1).to_pil().tobytes()
    finally:
        document.close()


def test_streams_deflated_once_draw_the_same_page_as_weasyprints_own(thank_you):
    renderer = get_renderer()
    values = thank_you.values
    stylesheets = renderer.stylesheets_for(values["page_size"], values["paper"], values["hand"], letter_css(values))
    document = renderer._document(compose_letter_html(thank_you), stylesheets)
    own = document.write_pdf(pdf_identifier=b"letterhouse")
    ours = document.write_pdf(pdf_identifier=b"letterhouse", finisher=deflate_streams_once)
    assert ours != own  # deflated at level 6, not pydyf's 9
    assert page_pixels(ours) == page_pixels(own)
    assert abs(len(ours) - len(own)) < 0.02 * len(own)
    page = PdfReader(io.BytesIO(ours)).pages[0]
    assert page["/Contents"].get_object()["/Filter"] == "/FlateDecode"  # one filter: deflated once, not twice


@pytest.mark.parametrize("paper", ["white", "cream"])
def test_a_letters_own_stylesheet_is_one_of_a_few_whatever_its_seed(thank_you, paper):
    """The seed's looks are `style` attributes, so a stylesheet is parsed once for many letters, not for each."""
    first = compose_letter_html(thank_you)
    again = compose_letter_html(type(thank_you)(thank_you.template, thank_you.values, thank_you.seed + 1))
    assert 'class="salutation" style="transform: rotate(' in first
    assert first != again
    values = dict(thank_you.values, paper=paper)
    sheets = {letter_css(values, seed) for seed in range(200)}
    assert (16 < len(sheets) <= 64) if paper == "cream" else len(sheets) == 1  # a textured paper: one of 64 cuts
    renderer = get_renderer()
    assert renderer.letter_stylesheet(letter_css(values, 7)) is renderer.letter_stylesheet(letter_css(values, 7))


@pytest.mark.parametrize("name", ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig",
                                  "pangoft2-1.0", "libgobject-2.0-0", "pango-1.0-0", "libharfbuzz-vector.0.dylib"])
def test_weasyprints_libraries_are_found_from_the_linker_cache_as_ctypes_finds_them(name):
    sonames = cached_sonames()
    if sonames is None:
        pytest.skip("no readable ldconfig cache here: WeasyPrint's own lookup is used")
    assert finder(sonames)(name) == ctypes.util.find_library(name)


IMPORT_WATCH = """
import subprocess, sys, json
started = []
original = subprocess.Popen.__init__
def counting(self, args, *rest, **kwargs):
    started.append(args if isinstance(args, str) else list(args))
    original(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting
import letterhouse.render.letter_pdf
print(json.dumps({"subprocesses": started, "modules": sorted(sys.modules)}))
"""


def test_loading_the_renderer_starts_one_subprocess_and_no_pdf_readers():
    result = subprocess.run([sys.executable, "-c", IMPORT_WATCH], capture_output=True, text=True, check=True)
    seen = json.loads(result.stdout)
    assert len(seen["subprocesses"]) == 1 and seen["subprocesses"][0][1:] == ["-p"]  # ldconfig -p, once
    assert "weasyprint" in seen["modules"]
    assert not {"pypdf", "pypdfium2", "pdfplumber"} & set(seen["modules"])  # numpy is the pen's: it writes every glyph


def test_the_command_line_starts_without_weasyprint_or_font_files():
    script = "import json, sys, letterhouse.cli; print(json.dumps(sorted(sys.modules)))"
    modules = set(json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                            check=True).stdout))
    assert not {"weasyprint", "fontTools.ttLib", "pypdfium2", "pypdf"} & modules


@pytest.mark.parametrize("info_path", sorted(STATIC_FONTS.glob("*/font.json")), ids=lambda path: path.parent.name)
def test_every_faces_baked_metrics_match_its_font(info_path):
    """tools/font_metrics.py wrote them; after a face is rebuilt, run it again."""
    info = json.loads(info_path.read_text(encoding="utf-8"))
    assert info["metrics"] == font_metrics(info_path.with_name(info["file"]))
    assert font_info(f"{info_path.parent.name}/{info['file']}")["metrics"] == info["metrics"]


def test_the_batchs_own_process_leaves_weasyprint_to_its_workers():
    """Only the fork server (and the workers it forks) import the renderer; the process handing out rows does not."""
    script = ("import json, sys, letterhouse.batch.writing, letterhouse.batch.job_runner; "
              "from letterhouse.batch.pool import WORKER_MODULES; "
              "print(json.dumps([sorted(sys.modules), WORKER_MODULES]))")
    modules, preloaded = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                                   check=True).stdout)
    assert "weasyprint" not in modules
    assert "letterhouse.render.letter_pdf" in preloaded


SECOND_LETTER = """
import gc, json
from letterhouse.bench.sections import bench_letter
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.render.letter_pdf import write_letter_pdf
letter = bench_letter(catalog_from_config(load_settings()))
first, second = write_letter_pdf(letter).pdf, write_letter_pdf(letter).pdf
print(json.dumps({"same": first == second, "frozen": gc.get_freeze_count(), "walked": len(gc.get_objects())}))
"""


def test_a_warm_process_no_longer_walks_what_its_first_letter_loaded():
    """After the first letter, a full garbage collection skips the fonts, stylesheets and outlines it keeps."""
    seen = json.loads(subprocess.run([sys.executable, "-c", SECOND_LETTER], capture_output=True, text=True,
                                     check=True).stdout)
    assert seen["same"]
    assert seen["frozen"] > 4 * seen["walked"]
