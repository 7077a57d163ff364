"""Paper and envelopes: each sheet's size, tone and rules, the letterhead's monogram, the envelope page."""

import unicodedata

from letterhouse.letters.styles import ENVELOPES, HANDS, PAGE_SIZES, PAPERS
from letterhouse.render.hands import baseline_mm, family_list

PAGE_MARGIN_MM = (24, 22, 24, 28)  # top, right, bottom, left
MARGIN_LINE_MM = 5  # ruled paper's red line, this far left of the writing
MONOGRAM_HAND = "great-vibes"  # a letterhead's monogram is engraved in copperplate
LETTERHEAD_MARGIN_MM = 40  # the first page's top margin on letterhead paper, the monogram centred in it


STAMP_MM = (22, 26)  # a stamp box wide and tall enough for a first-class stamp
EDGE_MM = 10  # the return address and the stamp box sit this far in from the edges


def page_css(page_size, paper_key, hand_key):
    """Return the @page rules for one combination of size, paper and hand, envelope pages included."""
    paper, hand = PAPERS[paper_key], HANDS[hand_key]
    top, right, bottom, left = PAGE_MARGIN_MM
    rules = (f"@page {{ size: {PAGE_SIZES[page_size].css_size}; background: {paper.background};"
             f" margin: {top}mm {right}mm {bottom}mm {left}mm;"
             f" @bottom-center {{ font-family: {family_list(hand_key)}; }} }}\n")
    if paper.ruled:
        rules += ruled_css(hand)
    if paper.letterhead:
        rules += (f"@page :first {{ margin-top: {LETTERHEAD_MARGIN_MM}mm; }}\n"
                  f'.monogram {{ font-family: "{HANDS[MONOGRAM_HAND].family}", {family_list(hand_key)}; }}\n')
    rules += (f".delivery-address {{ line-height: {0.85 * hand.line_mm:.2f}mm; }}\n"
              f".return-address {{ line-height: {0.65 * hand.line_mm:.2f}mm; }}\n")  # addresses sit closer
    return rules + "".join(envelope_css(key, envelope, paper) for key, envelope in ENVELOPES.items())


def ruled_css(hand):
    """Return a background of rules at the hand's line pitch, each under a line's baseline, and a margin line.

    A page's background is positioned from its content box, whose first line box starts
    at the top; a rule tile draws its rule along its bottom edge. The margin line is
    placed from the sheet's edge (`fixed`), left of the writing.
    """
    margin_x = PAGE_MARGIN_MM[3] - MARGIN_LINE_MM - 1  # the tile is 2 mm wide, its line in the middle
    return (
        "@page { background-image: url(paper/margin.svg), url(paper/rule.svg);"
        f" background-repeat: repeat-y, repeat; background-size: 2mm 10mm, 100mm {hand.line_mm}mm;"
        " background-attachment: fixed, scroll;"
        f" background-position: {margin_x}mm 0, 0 {baseline_mm(hand) % hand.line_mm:.3f}mm; }}\n"
    )


def envelope_css(key, envelope, paper):
    """Return the named page of one envelope size: the paper's own tone, without rules or page numbers."""
    background = "rgb(253 252 246)" if paper.ruled else paper.background
    return (f"@page envelope-{key} {{ size: {envelope.width_mm}mm {envelope.height_mm}mm; margin: 0;"
            f" background: {background}; @bottom-center {{ content: none; }} }}\n"
            f".envelope-{key} {{ page: envelope-{key}; height: {envelope.height_mm}mm; }}\n"
            f".envelope-{key} .delivery-address {{ left: {envelope.address_left_mm}mm;"
            f" bottom: {envelope.address_bottom_mm}mm; }}\n")


def monogram(name):
    """Return the initials of a name for a letterhead: 'Sam Okafor' -> 'SO', '李小龙' -> '李'.

    The initials are the first letters of the first and last words, with any combining
    accents kept; a name in a script without capitals gives just its first letter.
    """
    words = [word for word in name.split() if any(c.isalpha() for c in word)]
    if not words:
        return ""
    first = initial(words[0])
    if len(words) == 1 or first.lower() == first:  # no capitals (Arabic, Chinese): one letter
        return first
    return first + initial(words[-1])


def initial(word):
    """Return a word's first letter, capitalised, with the combining marks that follow it."""
    start = next(i for i, c in enumerate(word) if c.isalpha())
    end = start + 1
    while end < len(word) and unicodedata.combining(word[end]):
        end += 1
    return word[start:end].upper()
