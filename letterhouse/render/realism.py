"""Realism: how a letter's lines live (slope, drift, size, pen pressure), as a few seeded looks.

The letters themselves vary in the baked fonts (tools/bake_hands.py): each repeated letter takes
another shape and each word sits a little higher or lower. What varies here is what a hand does
paragraph by paragraph, and it is done with block-level rules only, because wrapping words or
letters in transformed spans costs 10 to 70 times the render. Every number comes from the letter's
seed and the registries, never from what a person typed, so the CSS and the `style` attributes built
from it are safe to hand to WeasyPrint.
"""

import hashlib
import random
import re
from dataclasses import dataclass

from letterhouse.letters.styles import DEFAULT_REALISM, HANDS, INKS, JOINED_HANDS, PAPERS, REALISM
from letterhouse.render.hands import all_faces, signature_css, written_font_file

# The baked fonts also carry the face's own calt under ss20 (OWN_CALT_COPY in tools/bake_hands.py):
# with calt off and ss20 on, a varied font writes exactly as the face itself.
UNVARIED_FEATURES = '"calt" 0, "ss20" 1'
RULED_SLOPE = 0.2  # on ruled paper a hand follows the rules: its lines tilt a fifth as much
# A letter gets a few looks: one for each of its first paragraphs, then two that alternate for the rest.
OWN_LOOKS = 6
LATER_LOOKS = 2


def letter_css(values, seed=0):
    """Return the letter's own stylesheet: one of a few for its looks, so each is parsed once, not per letter."""
    realism = REALISM[values.get("realism") or DEFAULT_REALISM]
    rules = [] if realism.varied_letters else unvaried_rules()
    signer = signature_hand(values)
    if signer != values["hand"]:
        rules.append(signature_css(values["hand"], signer))
    if PAPERS[values["paper"]].textured:
        rules.append(sheet_cut(seed))
    return "".join(rules)


SHEET_PLACES = 8  # a textured sheet is cut from its paper at one of 8 x 8 places


def sheet_cut(seed):
    """Return the rule that cuts this letter's sheet from its paper's texture, at a place chosen by the seed.

    Two letters seldom share a sheet, as no two sheets of real paper are alike, and the stylesheet
    is still one of SHEET_PLACES squared, each parsed once.
    """
    number = int(hashlib.sha256(f"sheet:{seed}".encode()).hexdigest(), 16) % SHEET_PLACES ** 2
    across, down = (100 * place / (SHEET_PLACES - 1) for place in divmod(number, SHEET_PLACES))
    return f"@page {{ background-size: 112% 112%; background-position: {across:.0f}% {down:.0f}%; }}\n"


@dataclass(frozen=True)
class Looks:
    """How this letter's parts sit on the page, as `style` declarations drawn from its seed.

    Style attributes rather than a stylesheet: a stylesheet that changes with every letter is parsed
    (and its selectors compiled) for every letter, which cost more than a tenth of the render.
    """

    paragraphs: tuple  # OWN_LOOKS looks for the first paragraphs, then LATER_LOOKS taken in turn
    salutation: str
    closing: str
    signature: str
    dateline: str

    def paragraph(self, number):
        """Return the look of the body's paragraph `number` (from 1)."""
        if number <= OWN_LOOKS:
            return self.paragraphs[number - 1]
        return self.paragraphs[OWN_LOOKS + (number - OWN_LOOKS - 1) % LATER_LOOKS]


def letter_looks(values, seed):
    """Return the Looks of a letter with these style values and this seed."""
    realism = REALISM[values.get("realism") or DEFAULT_REALISM]
    rng = seeded_random(seed)
    ruled = PAPERS[values["paper"]].ruled
    paragraphs = paragraph_looks(realism, rng, ruled, ink_rgb(values["ink"]))
    salutation, closing = small_tilts(realism, rng, ruled)
    signature = signature_look(realism, rng, joined=signature_hand(values) in JOINED_HANDS)
    dateline, salutation_place, closing_place = placed_by_hand(realism, rng)
    return Looks(tuple(paragraphs), salutation + salutation_place, closing + closing_place, signature, dateline)


def signature_hand(values):
    """Return the hand the letter is signed in: its own signature hand, or the letter's hand."""
    signer = values.get("signature_hand")
    return signer if signer in HANDS else values["hand"]


def seeded_random(seed):
    """Return a random generator that gives the same numbers for the same seed on any machine."""
    return random.Random(hashlib.sha256(f"realism:{seed}".encode()).digest())


def unvaried_rules():
    """Return the rules that write every letter in its one original shape."""
    plain_faces = [key for key, face in all_faces().items() if written_font_file(face.font_file) == face.font_file]
    rules = [f"body {{ font-feature-settings: {UNVARIED_FEATURES}; }}\n"]
    if plain_faces:  # faces that were never baked keep their own calt
        selectors = ", ".join(f".in-{key}" for key in plain_faces)
        rules.append(f"{selectors} {{ font-feature-settings: normal; }}\n")
    return rules


def paragraph_looks(realism, rng, ruled, ink):
    """Return one look per body paragraph: its tilt, left edge, size and ink.

    Not word-spacing: WeasyPrint then shapes each word on its own, which would stop the baked
    font's cycle at every space. The baked spaces already differ in width.
    """
    looks = []
    for number in range(1, OWN_LOOKS + LATER_LOOKS + 1):
        tired = realism.tiring * (number - 1)  # a hand tires, then writes on as it has become
        spread = 1 + tired
        slope = rng.uniform(-1, 1) * realism.slope_deg * spread * (RULED_SLOPE if ruled else 1)
        drift = rng.uniform(-1, 1) * realism.drift_mm * spread + tired * 6
        size = 1 + (rng.uniform(-1, 1) * realism.size + tired * 0.03) * (0 if ruled else 1)  # rules set the size
        alpha = rng.uniform(*realism.pressure) - tired * 0.06
        looks.append(f"transform: rotate({slope:.3f}deg); transform-origin: 0 50%; "
                     f"margin-left: {drift:.2f}mm; font-size: {size * 100:.2f}%;{ink_rule(ink, alpha)}")
    return looks


def small_tilts(realism, rng, ruled):
    """Return a small tilt for the greeting and the closing, which are written apart from the body."""
    tilts = [rng.uniform(-1, 1) * realism.slope_deg * 1.5 * (RULED_SLOPE if ruled else 1) for _ in range(2)]
    return tuple(f"transform: rotate({tilt:.3f}deg); transform-origin: 0 50%;" for tilt in tilts)


def placed_by_hand(realism, rng):
    """Return where the date, the greeting and the closing sit: placed by a hand, not a ruler.

    Each moves from its set place by up to its PLACES share of the realism's drift (in mm per
    natural drift): the date in from the right edge, the greeting and the closing along the line.
    """
    scale = realism.drift_mm / REALISM[DEFAULT_REALISM].drift_mm
    date, greeting, closing = (rng.uniform(*PLACES[part]) * scale for part in ("date", "greeting", "closing"))
    return (f"margin-right: {date:.2f}mm;", f" margin-left: {greeting:.2f}mm;", f" margin-left: {closing:.2f}mm;")


PLACES = {"date": (0.0, 7.0), "greeting": (-1.0, 2.5), "closing": (-9.0, 9.0)}  # mm, for a natural hand


def signature_look(realism, rng, joined):
    """Return the signature's flourish: larger than the body already, and looser by the seed.

    A name is written fast, its letters run close (not in a joined hand, whose joins must meet),
    and the names further apart than words in the body.
    """
    loose = realism.signature_looseness
    turn = -1.5 - rng.uniform(0.5, 2.5) * loose
    slant = -rng.uniform(2, 9) * loose
    spacing = 0 if joined else -rng.uniform(0.0, 0.012) * loose
    gap = rng.uniform(0.1, 0.35) * loose
    indent = 0.6 + rng.uniform(0, 1.6)
    return (f"margin-left: {indent:.2f}em; letter-spacing: {spacing:.3f}em; word-spacing: {gap:.2f}em; "
            f"transform: rotate({turn:.2f}deg) skewX({slant:.2f}deg); transform-origin: 0 80%;")


RGB = re.compile(r"rgb\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*\)")


def ink_rgb(ink_key):
    """Return an ink's colour as (r, g, b), or None if it is not written as rgb(r g b)."""
    match = RGB.fullmatch(INKS[ink_key].color.strip())
    return tuple(int(part) for part in match.groups()) if match else None


def ink_rule(ink, alpha):
    """Return the colour declaration for ink pressed this hard; rgba, as `opacity` triples the PDF."""
    if ink is None:
        return ""
    red, green, blue = ink
    return f" color: rgba({red}, {green}, {blue}, {min(max(alpha, 0.5), 1):.3f});"
