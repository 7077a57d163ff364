"""Hands' fonts: the faces that fill in for them, their metrics, and the CSS that dresses a letter in a hand and an ink.

The registries themselves (hands, inks, papers, page sizes) are plain data in letterhouse.letters.styles.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from letterhouse.config import STATIC_ROOT

# Imported (PAGE_SIZES and PAPERS unused here) so that render code may read the registries from this module too.
from letterhouse.letters.styles import HANDS, INKS

STATIC_FONTS = STATIC_ROOT / "fonts"


@dataclass(frozen=True)
class Face:
    """A font that writes, for any hand, the characters of a script that hand cannot."""

    family: str
    font_file: str  # under static/fonts/
    lang: str = ""  # BCP 47 tag of the script's usual language: Pango shapes with it, the PDF tags it
    scale: float = 1.0  # by eye, on top of matching the hand's x-height: CJK and Arabic read small


# Faces that write what a hand cannot: the Central European letters some hands lack, and
# whole scripts. coverage.py picks one per character; these are only ever used for those.
FALLBACK_FACES = {
    "caveat": Face("Caveat", "caveat/caveat-regular.ttf"),
    "marck-script": Face("Marck Script", "marck-script/marck-script-regular.ttf", scale=1.1),
    "mansalva": Face("Mansalva", "mansalva/mansalva-regular.ttf", "el", 0.85),
    "kalam": Face("Kalam", "kalam/kalam-regular.ttf", "hi"),
    "aref-ruqaa": Face("Aref Ruqaa", "aref-ruqaa/aref-ruqaa-regular.ttf", "ar", 1.15),
    "ma-shan-zheng": Face("Ma Shan Zheng", "ma-shan-zheng/ma-shan-zheng-regular.ttf", "zh-Hans", 1.1),
    "yomogi": Face("Yomogi", "yomogi/yomogi-regular.ttf", "ja", 1.1),
    "nanum-pen-script": Face("Nanum Pen Script", "nanum-pen-script/nanum-pen-script-regular.ttf", "ko", 1.4),
}

# The order faces are tried in for a character a hand cannot write. Chinese and Japanese
# share the Han characters, so the letter's text decides which of the two comes first.
FALLBACK_ORDER = ("caveat", "mansalva", "kalam", "aref-ruqaa", "ma-shan-zheng", "yomogi",
                  "nanum-pen-script")

# A cursive hand borrows missing letters from a cursive face, not from Caveat's print.
LATIN_FALLBACK = {"homemade-apple": "marck-script", "nothing-you-could-do": "marck-script"}

# Kept for the page-number footer and anything else set outside coverage.py's runs.
FALLBACK_HANDS = ("caveat", "kalam")


@functools.cache
def all_faces():
    """Return every face a run may be written in: the fallback faces, then each hand's own font."""
    hands = {key: Face(hand.family, hand.font_file) for key, hand in HANDS.items()}
    return {**hands, **FALLBACK_FACES}


SIGNATURE_SCALE = 1.4  # a signature is written larger and looser than the body


def hand_css(key, hand):
    """Return the @font-face rule and class that write a letter in this hand.

    The signature's line box is two lines tall; it is nudged so that its baseline, too,
    falls on a line of the page's grid (and so on a rule of ruled paper).
    """
    body_baseline = baseline_mm(hand)
    signature_baseline = baseline_mm(hand, scale=SIGNATURE_SCALE, lines=2)
    return (
        f'@font-face {{ font-family: "{hand.family}"; src: url(fonts/{written_font_file(hand.font_file)}); }}\n'
        f'.hand-{key} {{ font-family: {family_list(key)}; font-size: {hand.size_pt}pt; '
        f"line-height: {hand.line_mm}mm; }}\n"
        f".hand-{key} .signature {{ font-size: {SIGNATURE_SCALE}em; line-height: {2 * hand.line_mm}mm; "
        f"position: relative; top: {hand.line_mm + body_baseline - signature_baseline:.3f}mm; }}\n"
    )


def signature_css(hand_key, signature_key):
    """Return the rule that writes the signature in another hand, its baseline on the letter's grid."""
    hand, signer = HANDS[hand_key], HANDS[signature_key]
    size_pt = signer.size_pt * SIGNATURE_SCALE
    ascent, descent = font_extents(signer.font_file)
    size_mm = size_pt * 25.4 / 72
    signature_baseline = (2 * hand.line_mm - (ascent + descent) * size_mm) / 2 + ascent * size_mm
    return (f".valediction .signature {{ font-family: {family_list(signature_key)}; font-size: {size_pt}pt; "
            f"top: {hand.line_mm + baseline_mm(hand) - signature_baseline:.3f}mm; }}\n")


@functools.cache
def written_font_file(font_file):
    """Return the face's varied font (tools/bake_hands.py) if it has been baked, else the face itself.

    The varied font writes each letter in several shapes through `calt`; with `calt` off and
    `ss20` on it writes exactly as the face itself (see realism.py). Looked for once per process:
    a neat letter asks for every face's, which was a file check each on every render.
    """
    varied = PurePosixPath(font_file).with_name(f"{PurePosixPath(font_file).parent.name}-varied.ttf")
    return str(varied) if (STATIC_FONTS / varied).is_file() else font_file


def family_list(key):
    """Return the CSS font-family list for a hand: itself, then hands that cover other scripts."""
    keys = [key] + [fallback for fallback in FALLBACK_HANDS if fallback != key]
    return ", ".join(f'"{HANDS[k].family}"' for k in keys) + ", cursive"


def registry_css():
    """Return the CSS for every hand and ink (papers and page sizes are per-page, see page_css)."""
    hands = "".join(hand_css(key, hand) for key, hand in HANDS.items())
    inks = "".join(f".ink-{key} {{ color: {ink.color}; }}\n" for key, ink in INKS.items())
    return hands + fallback_css() + inks


def fallback_css():
    """Return the fallback faces' @font-face rules, and each face's size beside each hand.

    A run in a fallback face is sized so its x-height matches the hand's. Its line-height
    is zero so that a face with taller ascenders never pushes its line off the page's grid.
    """
    declared = {hand.family for hand in HANDS.values()}
    rules = [f'@font-face {{ font-family: "{face.family}"; src: url(fonts/{written_font_file(face.font_file)}); }}\n'
             for face in FALLBACK_FACES.values() if face.family not in declared]
    rules += [f'.hand-{key} .in-{face_key} {{ font-family: "{face.family}"; '
              f"font-size: {fallback_scale(hand, face):.3f}em; line-height: 0; }}\n"
              for key, hand in HANDS.items() for face_key, face in all_faces().items() if face_key != key]
    return "".join(rules)


def fallback_scale(hand, face):
    """Return the size of a fallback face, in ems of the hand, that makes it read as the same size."""
    return x_height(hand.font_file) / x_height(face.font_file) * face.scale


def hand_scripts(hand):
    """Return the scripts a hand writes, as its font.json lists them (latin, cyrillic, ...)."""
    return tuple(font_info(hand.font_file)["scripts"])


@functools.cache
def font_info(font_file):
    """Return the font.json beside a font file: its family, scripts, licence and character."""
    return json.loads((STATIC_FONTS / font_file).with_name("font.json").read_text(encoding="utf-8"))


X_HEIGHT_LETTERS = "acemnorsuvwxz"


def font_metrics(path):
    """Return what a render needs of a font file's shape: its x-height, ascent and descent, as fractions of its size.

    tools/font_metrics.py bakes these into each face's font.json, so a new process does not open
    every font to measure them; tests/test_speed.py checks that they match the files.
    """
    # Here, not above: with the metrics baked, neither a render nor the command line opens a font file.
    from fontTools.pens.boundsPen import BoundsPen  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    font = TTFont(path, lazy=True)
    glyphs, cmap, units = font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm
    tops = []
    for letter in X_HEIGHT_LETTERS:
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(letter)]].draw(pen)
        tops.append(pen.bounds[3])
    return {"x_height": sorted(tops)[len(tops) // 2] / units,  # the median top of the short lowercase letters
            "ascent": font["hhea"].ascent / units, "descent": -font["hhea"].descent / units}  # as Pango uses


@functools.cache
def baked_metrics(font_file):
    """Return a font file's metrics from its font.json, or measured from the file when they are not there."""
    info = font_info(font_file)
    if info.get("file") == PurePosixPath(font_file).name and "metrics" in info:
        return info["metrics"]
    return font_metrics(STATIC_FONTS / font_file)


def x_height(font_file):
    """Return the median top of a font's short lowercase letters, as a fraction of its size."""
    return baked_metrics(font_file)["x_height"]


def font_extents(font_file):
    """Return a font's ascent and descent as fractions of its size (from hhea, as Pango uses)."""
    metrics = baked_metrics(font_file)
    return metrics["ascent"], metrics["descent"]


def baseline_mm(hand, scale=1.0, lines=1):
    """Return how far below the top of a line box the hand's baseline sits, as Pango places it."""
    ascent, descent = font_extents(hand.font_file)
    size_mm = hand.size_pt * scale * 25.4 / 72
    half_leading = (lines * hand.line_mm - (ascent + descent) * size_mm) / 2
    return half_leading + ascent * size_mm
