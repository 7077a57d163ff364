"""The pen pass: after layout, every glyph is written afresh, from the letter's seed (see writer.py)."""

from letterhouse.letters.styles import DEFAULT_REALISM, HANDS, JOINED_HANDS, PAPERS
from letterhouse.render.hands import FALLBACK_FACES, SIGNATURE_SCALE
from letterhouse.render.pen.pen_styles import PEN_STYLES
from letterhouse.render.pen.writer import PenPass
from letterhouse.render.realism import signature_hand

JOINED_FAMILIES = frozenset({HANDS[key].family for key in JOINED_HANDS} | {"Aref Ruqaa"})
# Chinese, Japanese and Korean are written as the face draws them: thousands of dense glyphs, each
# with many strokes, would cost too much to vary (and a warp meant for Latin letters smudges them).
KEPT_FAMILIES = frozenset(face.family for face in FALLBACK_FACES.values() if face.lang[:2] in ("zh", "ja", "ko"))


def letter_pen(values, seed):
    """Return the pen pass for a letter (a WeasyPrint finisher), or None when its realism keeps it tidy."""
    style = PEN_STYLES.get(values.get("realism") or DEFAULT_REALISM)
    if style is None:
        return None
    return PenPass(seed, style, ruled=PAPERS[values["paper"]].ruled, joined_families=JOINED_FAMILIES,
                   kept_families=KEPT_FAMILIES, signature=signature_font(values))


def signature_font(values):
    """Return the family and size (CSS px) the signature is written in: how the pen knows it (hands.py)."""
    signer = HANDS[signature_hand(values)]
    return signer.family, signer.size_pt * SIGNATURE_SCALE * 4 / 3

