"""Realism: how a letter's lines live (slope, drift, size, pen pressure), as a few seeded CSS rules.

The letters themselves vary in the baked fonts (tools/bake_hands.py): each repeated letter takes
another shape and each word sits a little higher or lower. What varies here is what a hand does
paragraph by paragraph, and it is done with block-level rules only, because wrapping words or
letters in transformed spans costs 10 to 70 times the render. Every number comes from the letter's
seed and the registries, never from what a person typed, so the CSS is safe to hand to WeasyPrint.
"""

import hashlib
import random
import re

from letterhouse.letters.styles import DEFAULT_REALISM, HANDS, INKS, JOINED_HANDS, PAPERS, REALISM
from letterhouse.render.hands import all_faces, signature_css, written_font_file

# The baked fonts also carry the face's own calt under ss20 (OWN_CALT_COPY in tools/bake_hands.py):
# with calt off and ss20 on, a varied font writes exactly as the face itself.
UNVARIED_FEATURES = '"calt" 0, "ss20" 1'
RULED_SLOPE = 0.2  # on ruled paper a hand follows the rules: its lines tilt a fifth as much
# WeasyPrint takes about 0.25 ms to read each rule, so a letter gets a few: one look for each
# of its first paragraphs, then two looks that alternate for the rest.
OWN_LOOKS = 6
LATER_LOOKS = 2


def letter_css(values, seed):
    """Return the per-letter stylesheet for these style values and this seed."""
    realism = REALISM[values.get("realism") or DEFAULT_REALISM]
    rng = seeded_random(seed)
    rules = [] if realism.varied_letters else unvaried_rules()
    rules += paragraph_rules(realism, rng, PAPERS[values["paper"]].ruled, ink_rgb(values["ink"]))
    signer = values.get("signature_hand")
    signer = signer if signer in HANDS else values["hand"]
    rules += [small_tilts(realism, rng, PAPERS[values["paper"]].ruled),
              signature_rule(realism, rng, joined=signer in JOINED_HANDS)]
    if signer != values["hand"]:
        rules.append(signature_css(values["hand"], signer))
    return "".join(rules)


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


def paragraph_rules(realism, rng, ruled, ink):
    """Return one rule per body paragraph: its tilt, left edge, size and ink.

    Not word-spacing: WeasyPrint then shapes each word on its own, which would stop the baked
    font's cycle at every space. The baked spaces already differ in width.
    """
    rules = []
    for number in range(1, OWN_LOOKS + LATER_LOOKS + 1):
        tired = realism.tiring * (number - 1)  # a hand tires, then writes on as it has become
        spread = 1 + tired
        slope = rng.uniform(-1, 1) * realism.slope_deg * spread * (RULED_SLOPE if ruled else 1)
        drift = rng.uniform(-1, 1) * realism.drift_mm * spread + tired * 6
        size = 1 + (rng.uniform(-1, 1) * realism.size + tired * 0.03) * (0 if ruled else 1)  # rules set the size
        alpha = rng.uniform(*realism.pressure) - tired * 0.06
        selector = f".body > p:nth-child({number})" if number <= OWN_LOOKS else \
            f".body > p:nth-child({LATER_LOOKS}n+{number})"
        rules.append(f"{selector} {{ transform: rotate({slope:.3f}deg); transform-origin: 0 50%; "
                     f"margin-left: {drift:.2f}mm; font-size: {size * 100:.2f}%;"
                     f"{ink_rule(ink, alpha)} }}\n")
    return rules


def small_tilts(realism, rng, ruled):
    """Return a small tilt for the greeting and the closing, which are written apart from the body."""
    tilts = [rng.uniform(-1, 1) * realism.slope_deg * 1.5 * (RULED_SLOPE if ruled else 1) for _ in range(2)]
    return (f".salutation {{ transform: rotate({tilts[0]:.3f}deg); transform-origin: 0 50%; }}\n"
            f".closing {{ transform: rotate({tilts[1]:.3f}deg); transform-origin: 0 50%; }}\n")


def signature_rule(realism, rng, joined):
    """Return the signature's flourish: larger than the body already, and looser by the seed.

    Letters are spaced out, and names further apart; in a joined hand only the names, as spacing
    its letters would break their joins.
    """
    loose = realism.signature_looseness
    turn = -1.5 - rng.uniform(0.5, 2.5) * loose
    slant = -rng.uniform(2, 9) * loose
    spacing = 0 if joined else 0.015 + rng.uniform(0.01, 0.05) * loose
    gap = rng.uniform(0.1, 0.35) * loose
    indent = 0.6 + rng.uniform(0, 1.6)
    return (f".valediction .signature {{ margin-left: {indent:.2f}em; letter-spacing: {spacing:.3f}em; "
            f"word-spacing: {gap:.2f}em; transform: rotate({turn:.2f}deg) skewX({slant:.2f}deg); "
            "transform-origin: 0 80%; }\n")


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
