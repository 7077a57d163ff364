"""How a word written again on a page differs from its earlier writings: other shapes, another slant and width."""

from collections import defaultdict

import numpy

from letterhouse.render.pen.outlines import VARIANTS

RECENT = 3  # a glyph never takes any of the shapes its last few writings took
R2 = (0.7548776662466927, 0.5698402909980532)  # the plastic number's powers: the most even 2-D sequence


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


def variants(glyphs, rng):
    """Return a shape for each glyph, never one of the shapes its last few writings took."""
    recent = {}  # (family, shape) -> its last few shapes, oldest first
    chosen = rng.integers(0, VARIANTS - RECENT, size=len(glyphs)).tolist()  # which of the shapes left
    for index, glyph in enumerate(glyphs):
        key = (glyph.font.family, glyph.shape)
        seen = recent.get(key)
        if seen is None:
            seen = recent[key] = []
        number = chosen[index]
        for taken in sorted(seen):  # the pick-th shape not taken lately: step over each taken one below it
            if taken <= number:
                number += 1
        seen.append(number)
        if len(seen) > RECENT:
            del seen[0]
        chosen[index] = number
    return chosen
