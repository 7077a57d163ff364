"""How one written glyph differs from the next: a smooth, low-frequency warp of its outline.

Not only affine: two slow waves push the strokes about (loops grow and shrink, joins rise and fall),
ascenders and descenders reach a little higher or lower, and the glyph leans and widens. In a joined
hand the warp fades out towards the glyph's two edges, so the strokes that join its neighbours stay
where the neighbours expect them.
"""

import math
from dataclasses import dataclass

import numpy

X_HEIGHT = 0.42  # in ems: above it a stroke is an ascender (close enough for every hand we have)
WAVE_EMS = 0.02  # the slow waves' reach: more, and Kalam's h read as b, its n as u
ASCENDERS = (-0.04, 0.14)  # an ascender's part above the x-height grows or shrinks by this share
EDGE_EMS = 0.05  # in a joined hand the warp fades out over this much of each edge
# ... and its letter changes more inside (taller, wider, leaning), as it cannot move on its own (motion.py)
JOINED_SHAPE = 1.8
# A print hand's letters each stand alone, so each variant may change more: its body wider or narrower,
# leaning, taller or shorter (on top of every hand's), and one stroke end pulled longer or shorter.
# Measured on the condolence letter, shapes alone: kalam 19 -> 12, patrick-hand 27 -> 15 clone pairs of 106.
PRINT_WIDE, PRINT_LEAN, PRINT_TALL = 0.12, 0.1, 0.06
STROKE_END_EMS = 0.035  # how far the end is pulled; more, and an E's arm reaches the next letter
STROKE_END_REACH = 0.1  # ems: the pull fades over about this much of the outline around the end


@dataclass(frozen=True)
class Warp:
    """How strongly glyphs are warped (1 is a natural hand), and whether their edges must stay put."""

    strength: float
    joined: bool = False

    def displace(self, outline, rng):
        """Return the outline's points moved by one seeded warp (font units, y up)."""
        em = float(outline.units_per_em)
        points = outline.points / em
        x, y = points[:, 0], points[:, 1]
        centre = outline.advance / em / 2
        shape = JOINED_SHAPE if self.joined else 1.0
        dx = shape * (rng.uniform(-0.07, 0.07) * (x - centre)  # wider or narrower
                      + rng.uniform(-0.07, 0.07) * y)  # leaning more or less
        # Heights change less, and ascenders hardly shrink, in every hand: an l or a b cut down to
        # the height of an e or an o reads as that letter ("place" read as "peace").
        dy = (rng.uniform(-0.04, 0.04) * y  # taller or shorter
              + rng.uniform(*ASCENDERS) * numpy.clip(y - X_HEIGHT, 0, None)
              + rng.uniform(-0.12, 0.12) * numpy.clip(y, None, 0))  # descenders
        for _ in range(2):  # slow waves, about a cycle an em: faster ones would thin and thicken the strokes
            dx += wave(rng, x, y, WAVE_EMS)
            dy += wave(rng, x, y, WAVE_EMS)
        if not self.joined:
            more_x, more_y = print_shape(x, y, centre, rng)
            dx, dy = dx + more_x, dy + more_y
        weight = self.edge_weight(x, outline.advance / em) * self.strength
        moved = numpy.stack([x + dx * weight, y + dy * weight], axis=1)
        return moved * em

    def edge_weight(self, x, advance):
        """Return how much of the warp each point takes: all of it, except near a joined glyph's edges."""
        if not self.joined or advance <= 0:
            return 1.0
        edge = min(EDGE_EMS, advance / 4)
        distance = numpy.minimum(x, advance - x)
        ramp = numpy.clip(distance / edge, 0, 1)
        return ramp * ramp * (3 - 2 * ramp)  # smoothstep: no kink where the fade begins


def wave(rng, x, y, amplitude):
    """Return one slow sinusoidal displacement over the glyph, in a random direction and phase."""
    angle = rng.uniform(0, 2 * math.pi)
    frequency = rng.uniform(0.6, 1.5) * 2 * math.pi
    phase = rng.uniform(0, 2 * math.pi)
    return rng.uniform(0.4, 1.0) * amplitude * numpy.sin(
        frequency * (x * math.cos(angle) + y * math.sin(angle)) + phase)


def print_shape(x, y, centre, rng):
    """Return a print hand's further change to one variant (ems): its body's width, lean and height, a stroke end.

    The end is the outline's furthest point in a random direction (the hook of an f, the arm of a t, the
    tail of an e); it and the strokes near it move along that direction, outward (longer) or inward.
    """
    dx = rng.uniform(-PRINT_WIDE, PRINT_WIDE) * (x - centre) + rng.uniform(-PRINT_LEAN, PRINT_LEAN) * (y - X_HEIGHT / 2)
    dy = rng.uniform(-PRINT_TALL, PRINT_TALL) * numpy.minimum(y, X_HEIGHT)  # the body: ascenders keep their reach
    angle, pull = rng.uniform(0, 2 * math.pi), rng.uniform(-STROKE_END_EMS, STROKE_END_EMS)
    across, up = math.cos(angle), math.sin(angle)
    pull = abs(pull) if up > 0 else pull  # an upward end only grows: an l cut down reads as an e
    end = numpy.argmax(x * across + y * up)
    near = numpy.exp(-((x - x[end]) ** 2 + (y - y[end]) ** 2) / (2 * STROKE_END_REACH ** 2))
    return dx + pull * across * near, dy + pull * up * near
