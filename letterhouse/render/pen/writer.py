"""Rewrite a PDF's text drawing: the real text stays as an invisible layer, and the pen writes each glyph afresh.

Runs as WeasyPrint's finisher, on its pydyf objects before they are written out: every content stream
that shows text keeps its text operators (with rendering mode 3, as OCR'd PDFs do, so extraction and
selection stay exact) and after each text block draws its glyphs, one `Do` of a Form XObject (a glyph
variant) each, with its own transform and ink.
"""

import hashlib

import numpy
import pydyf

from letterhouse.render.pen.motion import place_glyphs
from letterhouse.render.pen.outlines import font_outlines
from letterhouse.render.pen.text_runs import read_text
from letterhouse.render.pen.warps import Warp

INVISIBLE, VISIBLE = b"3 Tr", b"0 Tr"
SIZE_TOLERANCE = 0.005  # a body paragraph's size differs by percents and a signature is SIGNATURE_SCALE times
# One glyph: its own transform, its ink (darker or lighter, by colour and by alpha) and its variant.
DRAW = b"q %.4f %.4f %.4f %.4f %.2f %.2f cm %.3f %.3f %.3f rg /K%d gs /%s Do Q"
DRAW_UNCOLOURED = b"q %.4f %.4f %.4f %.4f %.2f %.2f cm /K%d gs /%s Do Q"  # an ink not given as RGB keeps its colour


class PenPass:
    """The pen pass for one letter: its seed, its realism's PenStyle, its paper and its joined faces."""

    def __init__(self, seed, style, ruled=False, joined_families=frozenset(), kept_families=frozenset(),
                 signature=None):
        self.seed, self.style, self.ruled = seed, style, ruled
        self.signature = signature  # (family, size in CSS px) of the signature's glyphs, or None
        self.joined_families = joined_families
        self.kept_families = kept_families  # written as WeasyPrint drew them (CJK: too many dense glyphs)

    def __call__(self, document, pdf):
        """Rewrite every content stream of this WeasyPrint document's pydyf PDF (the finisher's signature)."""
        fonts = {font.hash: font for font in document.fonts.values()}
        forms = FormCache(pdf, self.style, self.joined_families)
        streams = [item for item in pdf.objects if isinstance(item, pydyf.Stream) and hasattr(item, "_resources")]
        for number, stream in enumerate(streams):
            rng = numpy.random.Generator(numpy.random.PCG64(seed_number(self.seed, number)))
            self.rewrite(stream, fonts, forms, rng)

    def rewrite(self, stream, fonts, forms, rng):
        blocks, glyphs = read_text(stream.stream, fonts, self.can_pen)
        if not any(any(block.penned.values()) for block in blocks):
            return
        for glyph in glyphs:
            outlines = forms.outlines(glyph.font)
            glyph.shape = outlines.original(glyph.glyph_id)
            glyph.ink = outlines.ink_span(glyph.shape)
            glyph.signed = self.is_signature(glyph)
        placed, moves = place_glyphs(glyphs, self.style, rng, self.ruled, self.is_joined)
        drawings = {}
        for glyph, operators in zip(glyphs, forms.draw(stream, glyphs, placed)):
            if operators:
                drawings.setdefault(glyph.block, []).append(operators)
        stream.stream = rewritten(stream.stream, blocks, drawings, moves)  # deflated by render/pdf.py after

    def is_signature(self, glyph):
        """Return whether a glyph is the signature's: its family, at the signature's size."""
        if self.signature is None:
            return False
        family, size = self.signature
        return glyph.font.family == family and abs(glyph.size - size) < SIZE_TOLERANCE * size

    def is_joined(self, font):
        return font.family in self.joined_families

    def can_pen(self, font):
        """Return whether the pen redraws this font's glyphs: outline fonts, not the kept ones."""
        return not (font.bitmap or font.png or font.svg or font.colr) and font.family not in self.kept_families


def outlines_of(font):
    """Return the FontOutlines of one of WeasyPrint's fonts, made once per process from the whole face.

    Not from font.file_content: by the time the pen runs, WeasyPrint has cut that down to the glyphs
    this letter uses (keeping their ids), a new file for every letter, so nothing drawn would be
    reused and every letter's copy would be kept.
    """
    from weasyprint.text.fonts import get_hb_object_data  # noqa: PLC0415 -- loaded by now: the pen is its finisher

    whole = get_hb_object_data(font.hb_face)
    key = (font.family, font.index, len(whole), hashlib.sha256(whole[:65536]).hexdigest())
    return font_outlines(key, whole)


def seed_number(seed, number):
    return int.from_bytes(hashlib.sha256(f"pen:{seed}:{number}".encode()).digest()[:8], "big")


class FormCache:
    """The glyph variants one PDF uses, each a Form XObject added once and named in each stream that draws it."""

    def __init__(self, pdf, style, joined_families):
        self.pdf, self.names, self.fonts, self.by_glyph = pdf, {}, {}, {}
        # by (joined, signed): a signature's letters have shapes of their own
        self.warps = {(joined, signed): Warp(style.warp * (style.signature_warp if signed else 1), joined=joined)
                      for joined in (False, True) for signed in (False, True)}
        self.joined_families = joined_families

    def outlines(self, font):
        """Return a font's FontOutlines and its warp, looked up once per PDF."""
        if id(font) not in self.fonts:
            self.fonts[id(font)] = outlines_of(font)
        return self.fonts[id(font)]

    def draw(self, stream, glyphs, placed):
        """Return the operators that draw each glyph in its variant (b'' for a glyph with nothing to draw)."""
        names = [self.form_name(stream, glyph, variant) for glyph, variant in zip(glyphs, placed.variants)]
        matrices = multiply_all(placed.matrices, numpy.array([glyph.matrix for glyph in glyphs]))
        inks = numpy.array([glyph.rgb or (0.0, 0.0, 0.0) for glyph in glyphs])
        darkness = placed.darkness[:, None]
        shades = numpy.where(darkness >= 0, inks * (1 - 0.9 * darkness), inks + (1 - inks) * -0.6 * darkness)
        alphas = numpy.array([glyph.alpha for glyph in glyphs]) * (1 + 0.5 * numpy.minimum(placed.darkness, 0))
        steps = numpy.clip(numpy.rint(alphas * 50), 20, 50).astype(int)
        for step in set(steps.tolist()):
            self.alpha_state(stream, step)
        return [b"" if name is None else DRAW % (*matrix, *shade, step, name) if glyph.rgb else
                DRAW_UNCOLOURED % (*matrix, step, name)
                for glyph, name, matrix, shade, step in zip(glyphs, names, matrices.tolist(), shades.tolist(),
                                                            steps.tolist())]

    def form_name(self, stream, glyph, variant):
        """Return the name (bytes) of a glyph's variant in this stream's resources, or None if it draws nothing."""
        key = (id(glyph.font), glyph.shape, variant, glyph.signed)
        if key not in self.by_glyph:
            self.by_glyph[key] = self.add_form(glyph, variant)
        form = self.by_glyph[key]
        if form is None:
            return None
        name, reference = form
        if name not in stream._resources["XObject"]:
            stream._resources["XObject"][name] = reference
        return name.encode()

    def add_form(self, glyph, variant):
        """Return (name, reference) of a variant's Form XObject, added to the PDF once for all its sizes."""
        outlines = self.outlines(glyph.font)
        warp = self.warps[(glyph.font.family in self.joined_families, glyph.signed)]
        form_key = (id(outlines), glyph.shape, variant, warp)
        if form_key not in self.names:
            shape = outlines.variant(glyph.shape, variant, warp)
            if shape is None:
                self.names[form_key] = None
            else:
                form = FormXObject(shape.form)
                self.pdf.add_object(form)
                self.names[form_key] = (f"G{len(self.names)}", form.reference)
        return self.names[form_key]

    def alpha_state(self, stream, step):
        """Name in the stream's resources the fill-alpha state of this step (alpha in 50ths: a page has few)."""
        name = f"K{step}"
        if name not in stream._resources["ExtGState"]:
            stream._resources["ExtGState"][name] = pydyf.Dictionary({"ca": step / 50})


class FormXObject(pydyf.Stream):
    """A glyph variant's Form XObject, written from bytes made once per process (outlines.Variant.form)."""

    def __init__(self, data):
        super().__init__()
        self.form = data

    @property
    def data(self):
        return self.form


def multiply_all(first, second):
    """Return the PDF matrix products of two stacks of matrices (rows a b c d e f), row by row."""
    a, b, c, d, e, f = first.T
    p, q, r, s, t, u = second.T
    return numpy.stack([a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
                        e * p + f * r + t, e * q + f * s + u], axis=1)


def rewritten(items, blocks, drawings, moves):
    """Return the stream's operators with penned text made invisible and each block's drawing after it.

    The invisible text of each line starts where the pen moved the line (moves: {line key: (right, up)}),
    so what a reader selects lies over what they see.
    """
    penned = {index: flag for block in blocks for index, flag in block.penned.items()}
    matrices = {index: moved(matrix, moves[key]) for block in blocks
                for index, (matrix, key) in block.matrices.items() if key in moves}
    ends = {block.end: number for number, block in enumerate(blocks)}
    out, mode = [], VISIBLE
    for index, item in enumerate(items):
        if index in penned:
            wanted = INVISIBLE if penned[index] else VISIBLE
            if wanted != mode:
                out.append(wanted)
                mode = wanted
        elif index in ends:
            if mode == INVISIBLE:  # the rendering mode outlives ET: leave it as WeasyPrint expects
                out.append(VISIBLE)
                mode = VISIBLE
            out.append(item)
            drawn = [ops for ops in drawings.get(ends[index], ()) if ops]
            if drawn:
                out.extend((b"q", *drawn, b"Q"))
            continue
        out.append(matrices.get(index, item))
    return out


def moved(matrix, move):
    """Return the Tm operator of a text matrix moved right and up, in its own text space."""
    a, b, c, d, e, f = matrix
    right, up = move
    return f"{a:g} {b:g} {c:g} {d:g} {e + right * a + up * c:.3f} {f + right * b + up * d:.3f} Tm".encode()
