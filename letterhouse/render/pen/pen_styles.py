"""How much the pen varies for each realism level: one table, `neat` left tidy (no pen pass)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PenStyle:
    """The pen's freedoms, as shares of an em (the glyph's font size) or in degrees."""

    warp: float  # how far outlines are warped (1: a natural hand)
    line_rise: float  # each line's baseline sits this far above or below its place
    line_slope_deg: float  # each line climbs or falls this much, on top of its paragraph's tilt
    line_bow: float  # and sags or arches this much in its middle
    paragraph_rise: float  # each paragraph, all its lines together, sits this far above or below its place
    creep: float  # the left margin wanders, line by line, this far at a step
    crowd: float  # a full line's last words are pushed together by up to this
    word_rise: float  # each word sits this far above or below its line
    word_turn_deg: float
    word_size: float  # each word a little larger or smaller
    word_aspect: float  # ... wider or narrower
    word_slant: float  # ... and leaning more or less (a shear: joins still meet)
    glyph_turn_deg: float  # for hands whose letters do not join: each letter on its own
    glyph_size: float
    glyph_shift: float
    glyph_slant: float
    letter_gap: float  # the gap after a free letter, wider or narrower (the rest of its word moves along)
    ink: float  # how much darker or lighter one glyph's ink may be than the next
    size_drift: float = 0.0  # a hand that tires writes larger down the page
    margin_drift: float = 0.0  # ... and drifts right
    # The signature is flung, not written: its own shapes (warped this many times more), each name
    # climbing at up to this many degrees, leaning further, its capitals larger.
    signature_warp: float = 1.25
    signature_rise_deg: float = 4.0
    signature_slant: float = 0.12
    signature_capital: float = 0.12
    # Each sheet sits up to this far (ems) above or below the page's grid and up to twice this to its left
    # (never right: a full line keeps its margin), and its lines are this share
    # closer or further apart than the layout's.
    sheet_shift: float = 0.35
    line_pitch: float = 0.02


PEN_STYLES = {
    "natural": PenStyle(warp=1.0, line_rise=0.05, line_slope_deg=0.45, line_bow=0.05, paragraph_rise=0.25,
                        creep=0.05, crowd=0.15, word_rise=0.035, word_turn_deg=0.9, word_size=0.02, word_aspect=0.06,
                        word_slant=0.05, glyph_turn_deg=4.0, glyph_size=0.1, glyph_shift=0.05, glyph_slant=0.07,
                        letter_gap=0.025, ink=0.3),
    "hurried": PenStyle(warp=1.2, line_rise=0.07, line_slope_deg=0.8, line_bow=0.08, paragraph_rise=0.35,
                        creep=0.08, crowd=0.2, word_rise=0.05, word_turn_deg=1.5, word_size=0.03, word_aspect=0.08,
                        word_slant=0.07, glyph_turn_deg=5.0, glyph_size=0.11, glyph_shift=0.06, glyph_slant=0.08,
                        letter_gap=0.03, ink=0.36, size_drift=0.03, margin_drift=0.02, signature_warp=1.4,
                        signature_rise_deg=6.0, signature_slant=0.18, signature_capital=0.15),
}
RULED = 0.1  # on ruled paper a line's own rise, slope and bow are this share: the hand follows the rules
