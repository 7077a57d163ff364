"""Where the pen puts each glyph: a baseline that drifts and bows per line, words that tilt, letters on their own.

Everything is drawn from one seeded generator, in the order the glyphs were written, so the same letter
gives the same page. Lines are found by their baseline, words by the spaces between them.
"""

import math
from dataclasses import dataclass

import numpy

from letterhouse.render.pen.pen_styles import RULED
from letterhouse.render.pen.repeats import letter_places, spread_letters, spread_repeats, variants

SPACE_KEPT = 0.7  # the ink gap between words keeps at least this share of itself
INK_GAP = 1.0  # ... and is never less than this share of the space's own width: words never run together
LEAN_REACH = 0.45  # ems: how far above or below its middle a leaning letter's body (a capital, an ascender) reaches
PIVOT = 0.22  # ems above the baseline: about the middle of a small letter
PRESSURE_WAVE_EMS = 14.0  # ... and along a line over this many: a word is not a step of its own
INK_WAVE_EMS = 3.0  # the pen presses harder and lighter along a word over about this many ems
LETTER_TONE = 0.08  # each letter's own ink, beside its word's: more, and the tone steps from letter to letter
DASH_GAP = 0.06  # ems of ink gap kept on either side of a hyphen or dash, which a joined hand would swallow
SHORT_WORD, SHORT_GAP = 3, 2.5  # a free hand's words of this many letters or fewer vary their gaps this much more
DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014")


@dataclass(frozen=True)
class Placements:
    """Each glyph's shape, extra transform in its own units (applied before its place on the page) and ink."""

    variants: list
    matrices: numpy.ndarray  # one row a b c d e f per glyph
    darkness: numpy.ndarray  # above 0 darker, below 0 lighter than the ink


@dataclass
class Written:
    """The glyphs of one content stream as the pen sees them: lines, words, sizes and places along the line."""

    lines: numpy.ndarray  # each glyph's line, numbered down the page
    words: numpy.ndarray
    ems: numpy.ndarray  # font size, in user units
    xs: numpy.ndarray  # origin along the line, in user units
    advances: numpy.ndarray  # in ems
    loose: numpy.ndarray  # 1 where the glyph's letters do not join, so it may move on its own
    inks: numpy.ndarray  # where each glyph's ink starts and ends along the line, in ems from its origin
    texts: list  # each word's text, in the order written
    texts_of: list  # each glyph's text
    lettered: numpy.ndarray  # True where the glyph writes something (not a space)
    dashes: numpy.ndarray  # True where the glyph is a hyphen or a dash


def place_glyphs(glyphs, style, rng, ruled=False, joined=lambda font: False):
    """Return the Placements of the glyphs (text_runs.Glyph from one stream), and each line's own move.

    A line's move, {line key: (right, up)} in ems, is where its baseline starts now: the text layer follows it.
    """
    if not glyphs:
        return Placements([], numpy.zeros((0, 6)), numpy.zeros(0)), {}
    written = written_glyphs(glyphs, joined)
    line_dx, line_dy, line_angle, line_size = line_motion(written, glyphs, style, rng, RULED if ruled else 1.0)
    word_dx, word_dy, word_angle, word_scale, word_wide, word_slant, pressure = word_motion(written, style, rng)
    own = glyph_motion(written, style, rng)
    angle = line_angle + word_angle + own.turn
    tall = line_size * word_scale * own.tall
    dx, dy = line_dx + word_dx + own.dx, line_dy + word_dy + own.dy
    wide, slant = tall * word_wide * own.wide, word_slant + own.slant
    signed = numpy.array([glyph.signed for glyph in glyphs], dtype=float)
    if signed.any():
        climb, rise, lean, capital = signature_motion(written, style, rng, signed)
        angle, dy, slant, tall, wide = angle + climb, dy + rise, slant + lean, tall * capital, wide * capital
    dx += kept_spaces(written, dx, wide, slant)
    from_word = (written.xs - first_of(written.xs, written.words)[written.words]) / written.ems
    phases = rng.uniform(0, 2 * math.pi, size=written.words.max() + 1)[written.words]
    along_line = (written.xs - line_extents(written.xs, written.ems, written.lines)[0][written.lines]) / written.ems
    line_phases = rng.uniform(0, 2 * math.pi, size=written.lines.max() + 1)[written.lines]
    pressure = 0.3 * pressure + 0.7 * numpy.sin(2 * math.pi * along_line / PRESSURE_WAVE_EMS + line_phases)
    darkness = ink_darkness(style, pressure, from_word, phases, rng.uniform(-1, 1, size=len(glyphs)))
    chosen = variants(glyphs, written.words, rng)
    sheet_dx, sheet_dy = sheet_motion(glyphs, written.ems, style, rng, 0.0 if ruled else 1.0)
    placed = placements(glyphs, (angle, wide, tall, slant), dx + sheet_dx, dy + sheet_dy, darkness, chosen,
                        written.advances)
    return placed, line_moves(glyphs, line_dx + sheet_dx, line_dy + sheet_dy, written.ems)


def sheet_motion(glyphs, ems, style, rng, shape):
    """Return per glyph the whole page's own move right and up (ems): no two letters share one grid.

    A person starts each sheet a little higher or lower and further in or out, and writes its lines
    a little closer or further apart than on the last; a page laid out by a computer puts every
    letter's lines in the same places. The sheet moves only outward across, so a full line never
    passes the right margin; on ruled paper (shape 0) the rules hold the lines where they are.
    """
    across, down, pitch = rng.uniform(-1, 1, size=3)
    below_first = numpy.array([glyph.line for glyph in glyphs], dtype=float) / 2  # user units down the page
    below_first -= below_first.min()
    up = -shape * (down * style.sheet_shift + pitch * style.line_pitch * below_first / ems)
    return numpy.full(len(glyphs), (across - 1) * style.sheet_shift), up


def written_glyphs(glyphs, joined):
    """Return the Written of the glyphs of one stream; joined(font) says whether a face's letters join."""
    texts = [glyph.text for glyph in glyphs]
    fonts = {id(glyph.font): glyph.font for glyph in glyphs}
    loose = {key: 0.0 if joined(font) else 1.0 for key, font in fonts.items()}
    advances = numpy.array([glyph.font.widths.get(glyph.glyph_id, 0) / 1000 for glyph in glyphs])
    lines = line_numbers(glyphs)
    dashes = numpy.array([text in DASHES for text in texts], dtype=bool)
    words = word_numbers(glyphs, lines, texts, dashes)
    return Written(lines, words, numpy.array([glyph.size for glyph in glyphs]),
                   numpy.array([glyph.matrix[4] for glyph in glyphs]), advances,
                   numpy.array([loose[id(glyph.font)] for glyph in glyphs]), ink_spans(glyphs, advances),
                   word_texts(texts, words), texts, numpy.array([bool(text.strip()) for text in texts], dtype=bool),
                   dashes)


@dataclass
class OwnMotion:
    """Each glyph's own turn, size (tall, and wide on top), slant and shift (ems), beyond its word's."""

    turn: numpy.ndarray
    tall: numpy.ndarray
    wide: numpy.ndarray
    slant: numpy.ndarray
    dx: numpy.ndarray
    dy: numpy.ndarray


def glyph_motion(written, style, rng):
    """Return each glyph's OwnMotion: free letters move each on their own, joined ones along a slow wave.

    A letter that joins its neighbours cannot jump on its own, but a hand still changes as it goes:
    along each word a slow wave (two to three ems long) leans, lifts, heightens and stretches its
    letters, so neighbours change together and their joins still meet. A stretched letter (or a
    free letter's own gap) pushes the rest of its word along; the word, all told, keeps its length, so
    the spaces between words stay.
    """
    count, loose = len(written.xs), written.loose
    places = letter_places(written.texts_of, written.words.tolist())
    free = spread_letters(rng.uniform(-1, 1, size=(count, 7)), places, rng)
    along = (written.xs - first_of(written.xs, written.words)[written.words]) / written.ems + written.advances / 2
    phases = rng.uniform(0, 2 * math.pi, size=(written.words.max() + 1, 4))[written.words]
    length = rng.uniform(2.0, 3.0, size=written.words.max() + 1)[written.words]
    wave = numpy.sin(2 * math.pi * along[:, None] / length[:, None] + phases)
    mix = lambda own, flowing: loose * own + (1 - loose) * flowing  # noqa: E731 -- four uses, one line
    tall = 1 + style.glyph_size * mix(free[:, 0], wave[:, 0])
    wide = 1 + style.glyph_size * mix(free[:, 1], 1.5 * wave[:, 1])
    # a joined letter's growth pushes the rest of its word on; a free letter leaves a gap of its own after it
    gap = style.letter_gap * numpy.where(word_total(written.lettered, written.words) <= SHORT_WORD, SHORT_GAP, 1.0)
    stretch = (1 - loose) * (wide * tall - 1) * written.advances + loose * gap * free[:, 6]
    stretch -= word_total(stretch, written.words) / word_total(numpy.ones(count), written.words)  # same length
    pushed = numpy.cumsum(stretch) - stretch
    pushed -= first_of_values(pushed, written.words)
    return OwnMotion(
        turn=loose * numpy.radians(style.glyph_turn_deg) * free[:, 2],
        tall=tall, wide=wide,
        slant=style.glyph_slant * mix(free[:, 3], 0.7 * wave[:, 2]),
        dx=pushed + loose * style.glyph_shift * 0.3 * free[:, 4],
        dy=style.glyph_shift * mix(1.5 * free[:, 5], wave[:, 3]))


def signature_motion(written, style, rng, signed):
    """Return per glyph the signature's flourish: each name climbs (turn, rise), leans further and starts large."""
    words = written.words
    climb = numpy.radians(style.signature_rise_deg) * rng.uniform(0.4, 1.0, size=words.max() + 1)[words] * signed
    from_first = (written.xs - first_of(written.xs, words)[words]) / written.ems
    inked = written.lettered
    after_gap = numpy.concatenate([[True], ~inked[:-1] | (words[1:] != words[:-1])])
    capital = 1 + style.signature_capital * (inked & after_gap) * signed
    return climb, numpy.tan(climb) * from_first, style.signature_slant * signed, capital


def first_of_values(values, words):
    """Return, for each glyph, the value at its word's first glyph (words are numbered in order)."""
    starts = numpy.concatenate([[True], words[1:] != words[:-1]])
    return values[starts][numpy.cumsum(starts) - 1]


def word_total(values, words):
    """Return, for each glyph, the sum of the values over its word."""
    totals = numpy.zeros(words.max() + 1)
    numpy.add.at(totals, words, values)
    return totals[words]


def ink_spans(glyphs, advances):
    """Return each glyph's ink span (ems from its origin), its whole advance where its outline is unknown."""
    spans = numpy.array([glyph.ink for glyph in glyphs], dtype=float).reshape(-1, 2)
    unknown = spans[:, 1] <= spans[:, 0]
    spans[unknown, 0], spans[unknown, 1] = 0.0, advances[unknown]
    return spans


def kept_spaces(written, dx, wide, slant):
    """Return the extra shift (ems) that keeps the ink gap between words open.

    Words that turn, lean and crowd may otherwise close up the gap before the next one until two
    words read as one, and a face's overhanging letters (an f, a y) may start out close already.
    The gap, from ink to ink, keeps SPACE_KEPT of itself and at least INK_GAP of the space's
    width; where it is short, the rest of the line moves along by what is missing.
    """
    ems, xs, inks, advances = written.ems, written.xs, written.inks, written.advances
    middle = advances / 2
    lean = numpy.abs(slant) * LEAN_REACH
    # each glyph's ink, grown or shrunk about its middle, leaning out at the top, where the pen put it
    ink_left = xs + ems * (dx + middle + (inks[:, 0] - middle) * wide - lean)
    ink_right = xs + ems * (dx + middle + (inks[:, 1] - middle) * wide + lean)
    first, last, before = inked_words(written)
    after = numpy.flatnonzero(before >= 0)  # the inked words that follow another on their line
    start, end = first[after], last[before[after]]
    space = xs[start] - (xs[end] + advances[end] * ems[end])
    was = xs[start] + inks[start, 0] * ems[start] - xs[end] - inks[end, 1] * ems[end]
    gap = ink_left[start] - ink_right[end]  # both words have had the line's push so far
    dash = numpy.where(written.dashes[end] | written.dashes[start], DASH_GAP * ems[start], 0.0)
    short = numpy.maximum(numpy.maximum(numpy.maximum(SPACE_KEPT * was, INK_GAP * space), dash) - gap, 0.0)
    pushes = numpy.zeros(len(first))
    for number, previous, missing in zip(after.tolist(), before[after].tolist(), short.tolist()):
        pushes[number] = pushes[previous] + missing  # the push so far along the line, and this gap's
    per_word = numpy.zeros(written.words.max() + 1)  # a word with no ink stays where it is
    per_word[written.words[first]] = pushes
    return per_word[written.words] / ems


def inked_words(written):
    """Return each inked word's first and last inked glyph, and the inked word before it on its line (or -1).

    A word is inked if one of its glyphs has ink and writes a letter; words are in the order written.
    """
    inked = numpy.flatnonzero((written.inks[:, 1] > written.inks[:, 0]) & written.lettered)
    words = written.words[inked]
    opens = numpy.concatenate([[True], words[1:] != words[:-1]])[:len(inked)]
    first, last = inked[opens], inked[numpy.concatenate([opens[1:], [True]])[:len(inked)]]
    latest, before = {}, []
    for number, line in enumerate(written.lines[first].tolist()):
        before.append(latest.get(line, -1))
        latest[line] = number
    return first, last, numpy.array(before, dtype=int)


def line_motion(written, glyphs, style, rng, shape):
    """Return per glyph its line's shift right and up (ems), the line's angle there, and its size."""
    lines, xs, ems = written.lines, written.xs, written.ems
    line_x0, line_x1 = line_extents(xs, ems, lines)
    per_line = line_draws(rng, lines.max() + 1, style, shape)
    span = numpy.maximum(line_x1 - line_x0, 1.0)[lines]
    u = numpy.clip((xs - line_x0[lines]) / span, 0, 1)
    rise, slope, bow, creep, size = (per_line[:, k][lines] for k in range(5))
    along = (xs - line_x0[lines]) / ems
    up = rise + paragraph_rise(glyphs, lines, rng, style) * shape + slope * along + bow * 4 * u * (1 - u)
    angle = numpy.arctan(slope + bow * 4 * (1 - 2 * u) * ems / span)
    crowd = crowding(xs, first_of(xs, written.words), written.words, lines, line_x0, line_x1, style.crowd, ems)
    return creep + crowd, up, angle, size


def word_motion(written, style, rng):
    """Return per glyph its word's shift right and up (ems), turn, size, width, slant and pen pressure.

    A word turns about its first letter and grows about its middle, its letters' places following so
    that a joined hand's letters still meet; but by no more than GROWTH ems all told, which would eat
    the spaces on either side (a free hand's letters grow in place beyond that).
    """
    words, xs, ems = written.words, written.xs, written.ems
    per_word = rng.uniform(-1, 1, size=(words.max() + 1, 7))
    per_word[:, 4:6] = spread_repeats(written.texts, rng)
    per_word = per_word[words]
    turn = numpy.radians(style.word_turn_deg) * per_word[:, 1]
    grown = (1 + style.word_size * per_word[:, 2]) * (1 + style.word_aspect * per_word[:, 5])
    length = numpy.maximum(word_total(written.advances, words), 0.5)
    spread = 1 + numpy.clip(grown - 1, -GROWTH / length, GROWTH / length)  # how far the letters' places move
    free = written.loose
    scale = free * (1 + style.word_size * per_word[:, 2]) + (1 - free) * numpy.sqrt(spread)
    wide = free * (1 + style.word_aspect * per_word[:, 5]) + (1 - free) * numpy.sqrt(spread)
    from_first = (xs - first_of(xs, words)[words]) / ems
    from_middle = (xs - middle_of(xs, ems, words)[words]) / ems
    dx = (spread - 1) * from_middle
    dy = style.word_rise * per_word[:, 0] + numpy.tan(turn) * from_first
    return dx, dy, turn, scale, wide, style.word_slant * per_word[:, 4], per_word[:, 3]


GROWTH = 0.06  # ems: the most a word's letters' places spread or gather, all told


def line_moves(glyphs, line_dx, line_dy, ems):
    """Return {line key: (right, up)}: where each line's baseline starts after the pen, in its font's units."""
    keys = [glyph.line for glyph in glyphs]
    firsts = sorted(numpy.unique(numpy.array(keys), return_index=True)[1].tolist())
    right, up = (line_dx * ems)[firsts].tolist(), (line_dy * ems)[firsts].tolist()
    return {keys[first]: (dx, dy) for first, dx, dy in zip(firsts, right, up)}


def line_numbers(glyphs):
    """Return each glyph's line, numbered down the page (by its key: its baseline)."""
    return numpy.unique(numpy.array([glyph.line for glyph in glyphs]), return_inverse=True)[1].reshape(-1)


def word_numbers(glyphs, lines, texts, dashes):
    """Return each glyph's word: a new word after a space or a dash, or on a new line or text block."""
    gap = numpy.array([text.isspace() or not text for text in texts], dtype=bool) | dashes
    blocks = numpy.array([glyph.block for glyph in glyphs])
    new = gap[1:] | dashes[:-1] | (lines[1:] != lines[:-1]) | (blocks[1:] != blocks[:-1])
    return numpy.concatenate([[0], numpy.cumsum(new)])


def word_texts(texts, words):
    """Return the text of each word, as it is written (lower case: a capital is the same word)."""
    starts = numpy.flatnonzero(numpy.concatenate([[True], words[1:] != words[:-1]])).tolist()
    lowered = [text.lower() for text in texts]
    return ["".join(lowered[start:stop]) for start, stop in zip(starts, [*starts[1:], len(texts)])]


def line_extents(xs, ems, lines):
    """Return each line's leftmost and rightmost glyph origin."""
    count = lines.max() + 1
    low, high = numpy.full(count, numpy.inf), numpy.full(count, -numpy.inf)
    numpy.minimum.at(low, lines, xs)
    numpy.maximum.at(high, lines, xs + ems * 0.4)
    return low, high


def first_of(xs, words):
    """Return each word's leftmost glyph origin."""
    low = numpy.full(words.max() + 1, numpy.inf)
    numpy.minimum.at(low, words, xs)
    return low


def middle_of(xs, ems, words):
    """Return the middle of each word, from its first glyph's origin to its last glyph's (plus a little)."""
    count = words.max() + 1
    low, high = numpy.full(count, numpy.inf), numpy.full(count, -numpy.inf)
    numpy.minimum.at(low, words, xs)
    numpy.maximum.at(high, words, xs + 0.5 * ems)
    return (low + high) / 2


def paragraph_rise(glyphs, lines, rng, style):
    """Return each glyph's paragraph's own rise: the gap between paragraphs is not a whole number of lines.

    A paragraph starts after a gap of more than 1.4 usual line gaps; every line of it moves together.
    """
    keys = numpy.array(sorted({glyph.line for glyph in glyphs}), dtype=float)
    if len(keys) < 3:
        return 0.0
    gaps = numpy.diff(keys)
    starts = numpy.concatenate([[0], numpy.cumsum(gaps > 1.4 * numpy.median(gaps))])
    rises = rng.uniform(-1, 1, size=starts.max() + 1) * style.paragraph_rise
    return rises[starts][lines]


def line_draws(rng, count, style, shape):
    """Return per line: rise, slope (em per em), bow, margin creep and size (a walk down the page)."""
    draws = rng.uniform(-1, 1, size=(count, 5))
    down = numpy.arange(count) / max(count - 1, 1)
    creep = numpy.clip(numpy.cumsum(draws[:, 3] * style.creep), -4 * style.creep, 4 * style.creep)
    return numpy.stack([
        draws[:, 0] * style.line_rise * shape,
        numpy.tan(numpy.radians(style.line_slope_deg * shape)) * draws[:, 1],
        draws[:, 2] * style.line_bow * shape,
        creep + style.margin_drift * down * 10,
        1 + 0.012 * draws[:, 4] + style.size_drift * down,
    ], axis=1)


def crowding(xs, word_x0, words, lines, line_x0, line_x1, amount, ems):
    """Return how far (in ems) each glyph's word is pushed left: words crowd at the end of a full line."""
    widest = line_x1.max()
    full = (line_x1 > widest - 2 * numpy.median(ems))[lines]
    start = line_x0[lines] + 0.65 * (line_x1 - line_x0)[lines]
    late = numpy.clip((word_x0[words] - start) / numpy.maximum(line_x1[lines] - start, 1.0), 0, 1)
    return -amount * late * late * full


def ink_darkness(style, word_pressure, from_word, phases, noise):
    """Return each glyph's ink: a word's own pressure, darker where the pen comes down, swelling and
    thinning slowly along the word (so neighbours differ by little and a word by much), a little noise."""
    start = numpy.exp(-numpy.maximum(from_word, 0) / 1.2)  # the first letters of a word, where the pen lands
    swell = numpy.sin(2 * math.pi * from_word / INK_WAVE_EMS + phases)
    return style.ink * (0.5 * word_pressure + 0.6 * start - 0.25 + 0.4 * swell + LETTER_TONE * noise)


def placements(glyphs, shapes, dx, dy, darkness, chosen, advances):
    """Return the Placements: scaled, slanted and turned about the glyph's middle, then shifted (font units).

    About its middle (half its advance along, PIVOT up), not its origin: a letter that leans or turns
    stays over its own place, and does not lean into the space before the next word.
    """
    angle, wide, tall, slant = shapes
    upem = numpy.array([glyph.font.upem for glyph in glyphs], dtype=float)
    cos, sin = numpy.cos(angle), numpy.sin(angle)
    a, b, c, d = wide * cos, wide * sin, tall * (slant * cos - sin), tall * (slant * sin + cos)
    pivot_x, pivot_y = advances / 2, numpy.full(len(glyphs), PIVOT)
    e = dx + pivot_x - (pivot_x * a + pivot_y * c)
    f = dy + pivot_y - (pivot_x * b + pivot_y * d)
    return Placements(chosen, numpy.stack([a, b, c, d, e * upem, f * upem], axis=1), darkness)

