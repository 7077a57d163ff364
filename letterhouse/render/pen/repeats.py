"""How a word written again on a page differs from its earlier writings: other shapes, another slant and width."""

from collections import defaultdict

import numpy

from letterhouse.render.pen.outlines import VARIANTS

RECENT = 3  # a glyph never takes any of the shapes its last few writings took
EARLIER = VARIANTS - RECENT - 1  # ... nor any of the last this many its word's earlier writings took there
R2 = (0.7548776662466927, 0.5698402909980532)  # the plastic number's powers: the most even 2-D sequence


def even_steps(dimensions):
    """Return the step of the most even sequence in this many dimensions (R_d: powers of 1/phi_d)."""
    phi = 2.0
    for _ in range(30):  # phi_d ** (d + 1) == phi_d + 1, found by iteration
        phi = (1 + phi) ** (1 / (dimensions + 1))
    return numpy.array([(1 / phi) ** power % 1 for power in range(1, dimensions + 1)])


def spread_repeats(texts, rng):
    """Return two draws in -1..1 per word (its slant and width) that differ from every other writing of it.

    Independent draws put two of a word's many writings close together now and then: a clone. So the
    n-th writing of a word takes the n-th point of an R2 sequence from a random start: as even as can be.
    """
    kinds, seen, which, times = {}, defaultdict(int), [], []
    for text in texts:
        which.append(kinds.setdefault(text, len(kinds)))
        times.append(seen[text])
        seen[text] += 1
    starts = rng.uniform(0, 1, size=(len(kinds), 2))  # each word's start, drawn as it is first written
    draws = (starts[which] + numpy.array(times)[:, None] * numpy.array(R2)) % 1.0
    return draws.reshape(-1, 2) * 2 - 1


def spread_letters(draws, places, rng):
    """Return the draws (-1..1, a row per glyph), each letter of a word written again spread over its writings.

    As spread_repeats does for a word, the n-th writing of a word's k-th letter takes the n-th point
    of an even sequence from a random start of that letter's: two writings never move it alike.
    Glyphs that are not letters keep their own draws.
    """
    starts, seen, rows, which, times = {}, defaultdict(int), [], [], []
    for row, place in enumerate(places):
        if place is not None:
            rows.append(row)
            which.append(starts.setdefault(place, len(starts)))
            times.append(seen[place])
            seen[place] += 1
    if not rows:
        return draws
    first = rng.uniform(0, 1, size=(len(starts), draws.shape[1]))
    spread = (first[which] + numpy.array(times)[:, None] * even_steps(draws.shape[1])) % 1.0
    draws = draws.copy()
    draws[rows] = spread * 2 - 1
    return draws


def variants(glyphs, words, rng):
    """Return a shape for each glyph: none of its last few writings' shapes, nor its word's earlier ones there.

    A word written again takes, letter by letter, shapes its earlier writings did not take at that
    letter (the last EARLIER of them, when it is written more often than there are shapes): a letter
    may reuse a shape, but never in the same word, so no two writings of a word share their shapes.
    One draw per glyph, in the order written, picks among the shapes left.
    """
    picks = rng.uniform(0, 1, size=len(glyphs)).tolist()
    places = letter_places([glyph.text for glyph in glyphs], words.tolist())
    recent, earlier, chosen = defaultdict(list), defaultdict(list), []
    for glyph, place, pick in zip(glyphs, places, picks):
        lately = recent[(glyph.font.family, glyph.shape)]
        before = earlier[place][-EARLIER:] if place else ()
        left = [number for number in range(VARIANTS) if number not in lately and number not in before]
        number = left[int(pick * len(left))]
        lately.append(number)
        if len(lately) > RECENT:
            del lately[0]
        if place:
            earlier[place].append(number)
        chosen.append(number)
    return chosen


def letter_places(texts, words):
    """Return each glyph's place in its word, (the word's letters, which letter), or None if not a letter.

    Only letters and digits count, in lower case: "The", "the" and "the," are one word written again.
    """
    places, letters = [None] * len(texts), []
    for index in range(len(texts) + 1):
        if index == len(texts) or (index and words[index] != words[index - 1]):
            word = "".join(texts[at].lower() for at in letters)
            for which, at in enumerate(letters):
                places[at] = (word, which)
            letters = []
        if index < len(texts) and texts[index].isalnum():
            letters.append(index)
    return places
