"""Hands, inks, papers and page sizes: plain registries, and the CSS that dresses a letter in them."""

import functools
from dataclasses import dataclass

from fontTools.ttLib import TTFont

from .config import STATIC_ROOT

STATIC_FONTS = STATIC_ROOT / "fonts"


@dataclass(frozen=True)
class Hand:
    label: str
    family: str  # the font's own family name, which the PDF then names too
    font_file: str  # under static/fonts/
    size_pt: float  # body size at which this hand reads like a pen on paper
    line_mm: float  # line pitch; ruled paper's rules follow it


@dataclass(frozen=True)
class Ink:
    label: str
    color: str


@dataclass(frozen=True)
class Paper:
    label: str
    background: str  # a colour, and optionally an image under static/paper/
    ruled: bool = False


@dataclass(frozen=True)
class PageSize:
    label: str
    css_size: str


HANDS = {
    "caveat": Hand("Caveat: quick and friendly", "Caveat", "caveat/caveat-regular.ttf", 19, 9),
    "homemade-apple": Hand("Homemade Apple: loose cursive", "Homemade Apple",
                           "homemade-apple/homemade-apple-regular.ttf", 13.5, 10),
    "kalam": Hand("Kalam: careful print", "Kalam", "kalam/kalam-regular.ttf", 15, 9),
    "dancing-script": Hand("Dancing Script: flowing script", "Dancing Script",
                           "dancing-script/dancing-script-regular.ttf", 18, 9),
}

INKS = {
    "midnight": Ink("Midnight blue", "rgb(27 39 94)"),
    "black": Ink("Black", "rgb(28 26 30)"),
    "sepia": Ink("Sepia", "rgb(94 58 30)"),
}

PAPERS = {
    "white": Paper("White", "rgb(255 255 253)"),
    "cream": Paper("Cream", "rgb(250 243 225)"),
    "ruled": Paper("Ruled", "rgb(253 252 246)", ruled=True),
}

PAGE_SIZES = {
    "A4": PageSize("A4", "A4"),
    "Letter": PageSize("US Letter", "letter"),
    "A5": PageSize("A5", "A5"),
}


# Tried in order for characters a hand cannot write (Homemade Apple has no "ż", say).
FALLBACK_HANDS = ("caveat", "kalam")


SIGNATURE_SCALE = 1.4  # a signature is written larger and looser than the body


def hand_css(key, hand):
    """Return the @font-face rule and class that write a letter in this hand.

    The signature's line box is two lines tall; it is nudged so that its baseline, too,
    falls on a line of the page's grid (and so on a rule of ruled paper).
    """
    body_baseline = baseline_mm(hand)
    signature_baseline = baseline_mm(hand, scale=SIGNATURE_SCALE, lines=2)
    return (
        f'@font-face {{ font-family: "{hand.family}"; src: url(fonts/{hand.font_file}); }}\n'
        f'.hand-{key} {{ font-family: {family_list(key)}; font-size: {hand.size_pt}pt; '
        f"line-height: {hand.line_mm}mm; }}\n"
        f".hand-{key} .signature {{ font-size: {SIGNATURE_SCALE}em; line-height: {2 * hand.line_mm}mm; "
        f"position: relative; top: {hand.line_mm + body_baseline - signature_baseline:.3f}mm; }}\n"
    )


def family_list(key):
    """Return the CSS font-family list for a hand: itself, then hands that cover other scripts."""
    keys = [key] + [fallback for fallback in FALLBACK_HANDS if fallback != key]
    return ", ".join(f'"{HANDS[k].family}"' for k in keys) + ", cursive"


def registry_css():
    """Return the CSS for every hand and ink (papers and page sizes are per-page, see page_css)."""
    hands = "".join(hand_css(key, hand) for key, hand in HANDS.items())
    inks = "".join(f".ink-{key} {{ color: {ink.color}; }}\n" for key, ink in INKS.items())
    return hands + inks


PAGE_MARGIN_MM = (24, 22, 24, 28)  # top, right, bottom, left


def page_css(page_size, paper_key, hand_key):
    """Return the @page rules for one combination of size, paper and hand."""
    paper, hand = PAPERS[paper_key], HANDS[hand_key]
    top, right, bottom, left = PAGE_MARGIN_MM
    rules = (f"@page {{ size: {PAGE_SIZES[page_size].css_size}; background: {paper.background};"
             f" margin: {top}mm {right}mm {bottom}mm {left}mm;"
             f" @bottom-center {{ font-family: {family_list(hand_key)}; }} }}\n")
    if paper.ruled:
        rules += ruled_css(hand)
    return rules


def ruled_css(hand):
    """Return a background of rules at the hand's line pitch, each under a line's baseline.

    A page's background is positioned from its content box, whose first line box starts
    at the top; a rule tile draws its rule along its bottom edge.
    """
    return (
        "@page { background-image: url(paper/rule.svg);"
        f" background-repeat: repeat; background-size: 100mm {hand.line_mm}mm;"
        f" background-position: 0 {baseline_mm(hand) % hand.line_mm:.3f}mm; }}\n"
    )


@functools.cache
def font_extents(font_file):
    """Return a font's ascent and descent as fractions of its size (from hhea, as Pango uses)."""
    font = TTFont(STATIC_FONTS / font_file, lazy=True)
    units = font["head"].unitsPerEm
    return font["hhea"].ascent / units, -font["hhea"].descent / units


def baseline_mm(hand, scale=1.0, lines=1):
    """Return how far below the top of a line box the hand's baseline sits, as Pango places it."""
    ascent, descent = font_extents(hand.font_file)
    size_mm = hand.size_pt * scale * 25.4 / 72
    half_leading = (lines * hand.line_mm - (ascent + descent) * size_mm) / 2
    return half_leading + ascent * size_mm
