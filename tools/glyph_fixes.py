"""Mend a face's broken glyphs before it is baked (tools/bake_hands.py), each by a rule that any face can be held to.

- A capital or digit whose ink reaches back into the space before it, past half that space, is
  moved right and its advance widened: Homemade Apple's S swept under the digit before it and
  wrote "2September".
- A digit far shorter than the face's other digits is brought up to their height (Indie Flower's
  zero, the size of an o).
- A question mark whose hook is much narrower than the face's other question marks would be is
  enlarged about the hook's top, its dot kept under the stem (Indie Flower's looked tiny).
- An apostrophe whose ink comes closer than CLEAR to a letter beside it is moved right, or its
  advance widened, until it stands clear: Homemade Apple's ran into the top of the I of "I'd"
  and the bar of the t of "don't", and read as part of them.

Only plain outline glyphs are changed; glyphs built from them (accented capitals) move with them,
and mark anchors on a moved glyph move too, so accents stay where they were drawn.
"""

import statistics

import numpy
from fontTools.pens.basePen import BasePen
from fontTools.pens.boundsPen import BoundsPen

OVERHANG = 0.5  # of the space's width: how far a capital's or digit's ink may reach back before it
SHORT_DIGIT = 0.8  # a digit shorter than this share of the median digit height is brought up to it
QUESTION_WIDTH = 0.45  # a question mark's width as a share of its height, below which its hook is enlarged
MOST_HOOK_SCALE = 1.6
DOT_GAP = 0.08  # of the question mark's height: the least gap kept between the enlarged hook and the dot
APOSTROPHES = (0x27, 0x2019)  # the typewriter's and the typographer's
CLEAR = 0.06  # of the em: the least blank kept between an apostrophe's ink and a letter's beside it
BEFORE_APOSTROPHE = "abcdeghijklmnopqrstuvwxyzI"  # I'd, don't, we're, Max's (not f: its hook may reach over)
AFTER_APOSTROPHE = "dlmrstv"  # I'd, we'll, I'm, you're, it's, don't, 'tis, I've


def mend_glyphs(font):
    """Mend the face in place; return a list of (glyph name, what was done) for the bake's log."""
    mended = []
    cmap = font.getBestCmap()
    for name, factor in short_digits(font, cmap):
        scale_glyph(font, name, factor)
        mended.append((name, f"scaled by {factor:.2f} to the other digits' height"))
    question = cmap.get(ord("?"))
    if question and is_simple(font, question):
        factor = enlarge_hook(font, question)
        if factor:
            mended.append((question, f"hook enlarged by {factor:.2f}"))
    for name, (shift, wider) in apostrophe_room(font, cmap).items():
        shift_glyph(font, name, shift)
        set_metrics(font, name, font["hmtx"][name][0] + wider)
        mended.append((name, f"moved {shift} units right and widened by {wider}, clear of the letters beside it"))
    for name, shift in overhangs(font, cmap):
        shift_glyph(font, name, shift)
        mended.append((name, f"moved {shift} units right, out of the space before it"))
    return mended


def is_simple(font, name):
    glyph = font["glyf"][name]
    return glyph.numberOfContours > 0


def ink_bounds(font, name):
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    return pen.bounds


def short_digits(font, cmap):
    """Return (digit glyph, factor) for each digit far shorter than the median digit."""
    digits = {cmap[code]: ink_bounds(font, cmap[code]) for code in range(0x30, 0x3A) if code in cmap}
    heights = {name: box[3] - box[1] for name, box in digits.items() if box}
    if len(heights) < 5:
        return []
    usual = statistics.median(heights.values())
    return [(name, usual / height) for name, height in heights.items()
            if height < SHORT_DIGIT * usual and is_simple(font, name)]


def overhangs(font, cmap):
    """Return (glyph, shift) for each capital or digit whose ink reaches too far into the space before it."""
    if 0x20 not in cmap:
        return []
    allowed = OVERHANG * font["hmtx"][cmap[0x20]][0]
    found = {}
    for code, name in cmap.items():
        if not (chr(code).isupper() or chr(code).isdigit()) or not is_simple(font, name):
            continue
        reach = -font["glyf"][name].xMin
        if reach > allowed:
            found[name] = round(reach - allowed)
    return sorted(found.items())


def transform_points(font, name, transform, contours=None):
    """Apply transform((x, y)) -> (x, y) to a simple glyph's points (only those of `contours`, if given)."""
    glyf = font["glyf"]
    glyph = glyf[name]
    coordinates = glyph.coordinates
    start = 0
    for index, end in enumerate(glyph.endPtsOfContours):
        if contours is None or index in contours:
            for point in range(start, end + 1):
                coordinates[point] = tuple(round(value) for value in transform(coordinates[point]))
        start = end + 1
    glyph.recalcBounds(glyf)


def set_metrics(font, name, advance):
    font["hmtx"].metrics[name] = (advance, font["glyf"][name].xMin)


def shift_glyph(font, name, shift):
    """Move a glyph's outline right by `shift` and widen its advance as much, with all that is built on it."""
    transform_points(font, name, lambda point: (point[0] + shift, point[1]))
    set_metrics(font, name, font["hmtx"][name][0] + shift)
    glyf = font["glyf"]
    for other in font.getGlyphOrder():
        glyph = glyf[other]
        if glyph.isComposite() and any(component.glyphName == name for component in glyph.components):
            for component in glyph.components:
                if component.glyphName != name:
                    component.x += shift
            glyph.recalcBounds(glyf)
            set_metrics(font, other, font["hmtx"][other][0] + shift)
    shift_anchors(font, {name, *composites_of(font, name)}, shift)


def composites_of(font, name):
    glyf = font["glyf"]
    return [other for other in font.getGlyphOrder()
            if glyf[other].isComposite() and any(c.glyphName == name for c in glyf[other].components)]


def shift_anchors(font, names, shift):
    """Move the mark-to-base and cursive anchors of these glyphs right by `shift`."""
    if "GPOS" not in font:
        return
    for lookup in font["GPOS"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            subtable = getattr(subtable, "ExtSubTable", subtable)
            if lookup.LookupType in (4, 9) and hasattr(subtable, "BaseCoverage"):
                for index, base in enumerate(subtable.BaseCoverage.glyphs):
                    if base in names:
                        for anchor in subtable.BaseArray.BaseRecord[index].BaseAnchor:
                            if anchor is not None:
                                anchor.XCoordinate += shift
            if lookup.LookupType in (3, 9) and hasattr(subtable, "EntryExitRecord"):
                for index, glyph in enumerate(subtable.Coverage.glyphs):
                    if glyph in names:
                        record = subtable.EntryExitRecord[index]
                        for anchor in (record.EntryAnchor, record.ExitAnchor):
                            if anchor is not None:
                                anchor.XCoordinate += shift


def scale_glyph(font, name, factor):
    """Scale a glyph about the bottom left of its ink, widening its advance to keep its right side."""
    glyph = font["glyf"][name]
    left, bottom, width = glyph.xMin, glyph.yMin, glyph.xMax - glyph.xMin
    transform_points(font, name, lambda p: (left + (p[0] - left) * factor, bottom + (p[1] - bottom) * factor))
    set_metrics(font, name, round(font["hmtx"][name][0] + width * (factor - 1)))


def contour_boxes(glyph):
    """Return (ymin, ymax, xmin, xmax, lowest point) of each contour of a simple glyph."""
    boxes, start = [], 0
    for end in glyph.endPtsOfContours:
        points = list(glyph.coordinates[start:end + 1])
        xs, ys = [x for x, _ in points], [y for _, y in points]
        boxes.append((min(ys), max(ys), min(xs), max(xs), min(points, key=lambda p: p[1])))
        start = end + 1
    return boxes


def enlarge_hook(font, name):
    """Enlarge a narrow question mark's hook about its top centre; return the factor, or None if it is fine."""
    glyph = font["glyf"][name]
    height = glyph.yMax - glyph.yMin
    if (glyph.xMax - glyph.xMin) >= QUESTION_WIDTH * height:
        return None
    boxes = contour_boxes(glyph)
    dots = {i for i, box in enumerate(boxes) if box[1] < glyph.yMin + 0.3 * height}
    hook = set(range(len(boxes))) - dots
    if not dots or not hook:
        return None
    top = max(boxes[i][1] for i in hook)
    low = min(boxes[i][0] for i in hook)
    centre = (min(boxes[i][2] for i in hook) + max(boxes[i][3] for i in hook)) / 2
    room = (top - max(boxes[i][1] for i in dots) - DOT_GAP * height) / (top - low)
    factor = min(QUESTION_WIDTH * height / (glyph.xMax - glyph.xMin), MOST_HOOK_SCALE, room)
    if factor <= 1.02:
        return None
    stem = min((boxes[i][4] for i in hook), key=lambda p: p[1])
    old_left, old_right = glyph.xMin, glyph.xMax
    transform_points(font, name, lambda p: (centre + (p[0] - centre) * factor, top + (p[1] - top) * factor), hook)
    moved = centre + (stem[0] - centre) * factor - stem[0]
    transform_points(font, name, lambda p: (p[0] + moved, p[1]), dots)
    back = old_left - font["glyf"][name].xMin  # keep the left side bearing
    transform_points(font, name, lambda p: (p[0] + back, p[1]))
    set_metrics(font, name, round(font["hmtx"][name][0] + (glyph.xMax - glyph.xMin) - (old_right - old_left)))
    return factor


class OutlinePoints(BasePen):
    """Record points every few font units along a glyph's outline, curves and all."""

    def __init__(self, glyph_set, step):
        super().__init__(glyph_set)
        self.step, self.points, self.start = step, [], None

    def _along(self, controls):
        controls = numpy.array([self._getCurrentPoint(), *controls], dtype=float)
        length = numpy.linalg.norm(numpy.diff(controls, axis=0), axis=1).sum()
        t = numpy.linspace(0, 1, max(int(length / self.step), 1) + 1)[:, None]
        if len(controls) == 2:
            self.points.extend((1 - t) * controls[0] + t * controls[1])
        else:
            a, b, c, d = controls
            self.points.extend((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * d)

    def _moveTo(self, point):
        self.start = point

    def _lineTo(self, point):
        self._along([point])

    def _curveToOne(self, first, second, third):
        self._along([first, second, third])

    def _closePath(self):
        if self.start is not None and self._getCurrentPoint() != self.start:
            self._lineTo(self.start)

    _endPath = _closePath


def outline_points(font, name):
    """Return points along a glyph's outline (font units), an array of x, y rows (none for an empty glyph)."""
    pen = OutlinePoints(font.getGlyphSet(), step=font["head"].unitsPerEm / 250)
    font.getGlyphSet()[name].draw(pen)
    return numpy.array(pen.points, dtype=float).reshape(-1, 2)


def closest(first, second, offset):
    """Return the least distance between two outlines' points, the second moved right by offset."""
    if not len(first) or not len(second):
        return float("inf")
    moved = second + (offset, 0)
    return float(numpy.sqrt(((first[:, None, :] - moved[None, :, :]) ** 2).sum(axis=2)).min())


def apostrophe_room(font, cmap):
    """Return {apostrophe glyph: (shift right, extra advance)} for each that comes closer than CLEAR to a letter."""
    clear, hmtx = CLEAR * font["head"].unitsPerEm, font["hmtx"]
    letters = {char: outline_points(font, cmap[ord(char)])
               for char in set(BEFORE_APOSTROPHE + AFTER_APOSTROPHE) if ord(char) in cmap}
    found = {}
    for name in sorted({cmap[code] for code in APOSTROPHES if code in cmap}):
        if not is_simple(font, name):
            continue
        mark, shift, wider = outline_points(font, name), 0, 0
        for char in BEFORE_APOSTROPHE:  # a step at a time: a slanted stroke may come close again above
            while char in letters and closest(letters[char], mark, hmtx[cmap[ord(char)]][0] + shift) < clear:
                shift += round(clear / 8)
        for char in AFTER_APOSTROPHE:
            while char in letters and closest(mark, letters[char], hmtx[name][0] + wider) < clear:
                wider += round(clear / 8)
        if shift or wider:
            found[name] = (shift, wider)
    return found
