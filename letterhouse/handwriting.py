"""Hands, inks, papers and page sizes: plain registries, and the CSS that dresses a letter in them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Hand:
    label: str
    family: str  # the font's own family name, which the PDF then names too
    font_file: str  # under static/fonts/
    size_pt: float  # body size at which this hand reads like a pen on paper
    line_mm: float  # line pitch; ruled paper's rules follow it
    baseline_mm: float  # how far below a line box's top the baseline sits, for ruled paper


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
    "caveat": Hand("Caveat: quick and friendly", "Caveat", "caveat/caveat-regular.ttf", 19, 9, 6.6),
    "homemade-apple": Hand("Homemade Apple: loose cursive", "Homemade Apple", "homemade-apple/homemade-apple-regular.ttf",
                           13.5, 10, 6.9),
    "kalam": Hand("Kalam: careful print", "Kalam", "kalam/kalam-regular.ttf", 15, 9, 6.3),
    "dancing-script": Hand("Dancing Script: flowing script", "Dancing Script", "dancing-script/dancing-script-regular.ttf",
                           18, 9, 6.5),
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


def hand_css(key, hand):
    """Return the @font-face rule and class that write a letter in this hand."""
    return (
        f'@font-face {{ font-family: "{hand.family}"; src: url(fonts/{hand.font_file}); }}\n'
        f'.hand-{key} {{ font-family: {family_list(key)}; font-size: {hand.size_pt}pt; '
        f"line-height: {hand.line_mm}mm; --rule-offset: {hand.baseline_mm}mm; }}\n"
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
             f" margin: {top}mm {right}mm {bottom}mm {left}mm; }}\n")
    if paper.ruled:
        rules += ruled_css(hand)
    return rules


def ruled_css(hand):
    """Return a background of rules at the hand's line pitch, each under a line's baseline."""
    first_rule = PAGE_MARGIN_MM[0] + hand.baseline_mm
    return (
        "@page { background-image: url(paper/rule.svg);"
        f" background-repeat: repeat-y; background-size: 100% {hand.line_mm}mm;"
        f" background-position: 0 {first_rule % hand.line_mm:.3f}mm; }}\n"
    )
