"""Glyph outlines and their variants: each glyph written a dozen ways by smooth, seeded warps of its outline.

A variant's shape depends only on the font, the glyph and the variant's number, never on a letter, so
variants are made once per process and reused (cached as finished, deflated PDF path data); a letter's
seed only chooses which variant each written glyph takes.
"""

import hashlib
import io
import zlib
from dataclasses import dataclass

import numpy
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

VARIANTS = 12  # shapes per glyph: with the instance's own transform, repeats look written afresh
MOST_POINTS = 4000  # a glyph with more points than this (a dense CJK character) is written as it is
BAKED_COPIES = 11  # tools/bake_hands.py puts this many copies of a glyph right after it: the pen varies the original


class CubicRecorder(BasePen):
    """Record an outline as PDF path operators with their points, quadratic curves turned cubic."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.operators, self.points = [], []

    def _moveTo(self, point):
        self.operators.append("m")
        self.points.append(point)

    def _lineTo(self, point):
        self.operators.append("l")
        self.points.append(point)

    def _curveToOne(self, first, second, third):
        self.operators.append("c")
        self.points.extend((first, second, third))

    def _closePath(self):
        self.operators.append("h")

    _endPath = _closePath


@dataclass(frozen=True)
class Outline:
    """A glyph's outline: PDF operators, their points in font units (y up), its advance and the font's size."""

    operators: tuple
    points: numpy.ndarray
    advance: float
    units_per_em: int


@dataclass(frozen=True)
class Variant:
    """One drawn shape of a glyph: its whole Form XObject as a PDF writes it (deflated path, font units)."""

    form: bytes


class FontOutlines:
    """A font's glyph outlines and their variants, made when first asked for."""

    def __init__(self, font_bytes):
        self.font = TTFont(io.BytesIO(font_bytes), lazy=True)
        self.glyph_set = self.font.getGlyphSet()
        self.order = self.font.getGlyphOrder()
        self.units_per_em = self.font["head"].unitsPerEm
        self.metrics = self.font["hmtx"].metrics
        self.outlines, self.variants, self.originals, self.ink_spans = {}, {}, {}, {}
        self.seed = hashlib.sha256(font_bytes[:65536] + str(len(font_bytes)).encode()).hexdigest()[:16]

    def original(self, glyph_id):
        """Return the glyph a baked copy was made from (its own id if it is not one): the pen varies that.

        A baked copy (tools/bake_hands.py) is a composite of one component, its original, which sits
        at most BAKED_COPIES glyphs before it and has the same advance.
        """
        if glyph_id not in self.originals:
            self.originals[glyph_id] = self._original(glyph_id)
        return self.originals[glyph_id]

    def _original(self, glyph_id):
        if "glyf" not in self.font or glyph_id >= len(self.order):
            return glyph_id
        glyph = self.font["glyf"][self.order[glyph_id]]
        if not glyph.isComposite() or len(glyph.components) != 1:
            return glyph_id
        base = glyph.components[0].glyphName
        base_id = self.font.getGlyphID(base)
        same_advance = self.metrics[base][0] == self.metrics[self.order[glyph_id]][0]
        return base_id if 0 < glyph_id - base_id <= BAKED_COPIES and same_advance else glyph_id

    def outline(self, glyph_id):
        """Return a glyph's outline, or None if it draws nothing (a space) or is too dense to vary."""
        if glyph_id not in self.outlines:
            self.outlines[glyph_id] = self._read_outline(glyph_id)
        return self.outlines[glyph_id]

    def _read_outline(self, glyph_id):
        if glyph_id >= len(self.order):
            return None
        name = self.order[glyph_id]
        pen = CubicRecorder(self.glyph_set)
        self.glyph_set[name].draw(pen)
        if not pen.points or len(pen.points) > MOST_POINTS:
            return None
        return Outline(tuple(pen.operators), numpy.array(pen.points, dtype=float),
                       float(self.metrics[name][0]), self.units_per_em)

    def ink_span(self, glyph_id):
        """Return where a glyph's ink starts and ends along the line, in ems from its origin ((0, 0) if none)."""
        if glyph_id not in self.ink_spans:
            outline = self.outline(glyph_id)
            xs = () if outline is None else outline.points[:, 0] / outline.units_per_em
            self.ink_spans[glyph_id] = (float(xs.min()), float(xs.max())) if len(xs) else (0.0, 0.0)
        return self.ink_spans[glyph_id]

    def variant(self, glyph_id, number, warp):
        """Return variant `number` of a glyph drawn with this warp (a Warp), or None if it draws nothing."""
        key = (glyph_id, number, warp)
        if key not in self.variants:
            outline = self.outline(glyph_id)
            self.variants[key] = None if outline is None else draw_variant(
                outline, warp.displace(outline, variant_random(self.seed, glyph_id, number, warp)))
        return self.variants[key]


def variant_random(font_seed, glyph_id, number, warp):
    """Return the random generator of one variant: the same shapes on every machine and in every process."""
    digest = hashlib.sha256(f"pen:{font_seed}:{glyph_id}:{number}:{warp}".encode()).digest()
    return numpy.random.Generator(numpy.random.PCG64(int.from_bytes(digest[:8], "big")))


def draw_variant(outline, points):
    """Return the Variant for an outline whose points have been moved to `points`."""
    numbers = numpy.rint(points).astype(int)
    parts, index = [], 0
    for operator in outline.operators:
        if operator == "h":
            parts.append("h")
            continue
        count = 3 if operator == "c" else 1
        coordinates = numbers[index:index + count].ravel()
        parts.append(" ".join(map(str, coordinates)) + " " + operator)
        index += count
    parts.append("f")  # filled only: stroking would trace the overlapping contours many faces are drawn with
    low, high = numbers.min(axis=0) - 2, numbers.max(axis=0) + 2
    path = zlib.compress("\n".join(parts).encode(), 9)  # once per process: the smallest is worth it
    head = (f"<</Type /XObject /Subtype /Form /BBox [{low[0]} {low[1]} {high[0]} {high[1]}] "
            f"/Filter /FlateDecode /Length {len(path)}>>")
    return Variant(b"\n".join((head.encode(), b"stream", path, b"endstream")))


_FONTS = {}


def font_outlines(font_key, font_bytes):
    """Return the FontOutlines of a font, kept for the life of the process (font_key names it cheaply)."""
    if font_key not in _FONTS:
        _FONTS[font_key] = FontOutlines(font_bytes)
    return _FONTS[font_key]
