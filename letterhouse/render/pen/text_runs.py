"""Read the text WeasyPrint drew into a content stream: every glyph, where it sits, in which font, size and ink."""

import re
import struct
from dataclasses import dataclass, field

TJ_PARTS = re.compile(rb"<([0-9a-fA-F]*)>|(-?(?:\d+\.?\d*|\.\d+))")
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class Glyph:
    """One glyph as WeasyPrint drew it: its font, id, the matrix from glyph units to user space, and its ink."""

    font: object  # WeasyPrint's Font
    glyph_id: int
    matrix: tuple  # font units -> the stream's user space, as PDF writes a matrix (a b c d e f)
    size: float  # font size, in text space units
    line: int  # glyphs with the same key sit on one line
    block: int  # the BT ... ET block it belongs to (its index in the stream)
    rgb: tuple | None
    alpha: float
    text: str
    shape: int = -1  # the glyph whose variants the pen draws (writer.py sets it)
    ink: tuple = (0.0, 0.0)  # where its ink starts and ends along the line, in ems from its origin (writer.py)
    signed: bool = False  # part of the signature (writer.py)


@dataclass
class TextBlock:
    """A BT ... ET block: where it starts and ends in the stream, and which of its TJ the pen may redraw."""

    start: int
    end: int = -1
    penned: dict = field(default_factory=dict)  # stream index of a TJ -> whether the pen redraws it
    matrices: dict = field(default_factory=dict)  # stream index of a Tm -> (its matrix, its line key)


@dataclass
class GraphicsState:
    rgb: tuple | None = None
    alpha: float = 1.0
    font: str | None = None
    size: float = 0.0


def read_text(items, fonts, can_pen):
    """Return the text blocks and glyphs of a content stream (a list of operator byte strings).

    fonts maps a font's resource name to WeasyPrint's Font; can_pen(font) says whether the pen
    can redraw a font (bitmap and colour fonts are left as they are drawn).
    """
    blocks, glyphs, stack = [], [], [GraphicsState()]
    text_matrix, advance, rise, block = IDENTITY, 0.0, 0.0, None
    for index, item in enumerate(items):
        item = item if isinstance(item, bytes) else str(item).encode()
        state = stack[-1]
        operator = item.rsplit(b" ", 1)[-1] if b" " in item else item
        if operator == b"q":
            stack.append(GraphicsState(**vars(state)))
        elif operator == b"Q" and len(stack) > 1:
            stack.pop()
        elif operator == b"rg":
            state.rgb = tuple(float(part) for part in item.split()[:3])
        elif operator == b"gs" and item.startswith(b"/a"):
            state.alpha = alpha_of(item, state.alpha)
        elif operator == b"BT":
            block = TextBlock(index)
            blocks.append(block)
            text_matrix, advance, rise = IDENTITY, 0.0, 0.0
        elif operator == b"ET" and block is not None:
            block.end = index
        elif operator == b"Tm":
            text_matrix, advance = tuple(float(part) for part in item.split()[:6]), 0.0
            if block is not None:
                block.matrices[index] = (text_matrix, line_key(text_matrix))
        elif operator == b"Tf":
            name, size = item.split()[:2]
            state.font, state.size = name[1:].decode(), float(size)
        elif operator == b"Ts":
            rise = float(item.split()[0])
        elif operator == b"TJ" and block is not None:
            font = fonts.get(state.font)
            block.penned[index] = font is not None and can_pen(font)
            advance = read_shown(item, font, state, (text_matrix, advance, rise, len(blocks) - 1),
                                 glyphs if block.penned[index] else None)
    return blocks, glyphs


def read_shown(item, font, state, position, glyphs):
    """Add the glyphs one TJ shows to `glyphs` (if not None); return the advance after them."""
    text_matrix, advance, rise, block = position
    size = state.size
    if font is None:
        return advance
    scale = size / font.upem
    line = line_key(text_matrix)
    a, b, c, d, e, f = text_matrix
    sa, sb, sc, sd = scale * a, scale * b, scale * c, scale * d
    widths, to_unicode, rgb, alpha = font.widths, font.to_unicode, state.rgb, state.alpha
    step = 2 if font.bitmap else 4  # hex digits a glyph
    for hex_ids, number in TJ_PARTS.findall(item[1:item.rindex(b"]")]):
        if number:
            advance -= float(number) / 1000 * size
            continue
        for glyph_id in (int(hex_ids, 16),) if len(hex_ids) == step else glyph_ids(hex_ids, font.bitmap):
            if glyphs is not None:
                matrix = (sa, sb, sc, sd, advance * a + rise * c + e, advance * b + rise * d + f)  # glyph -> user
                glyphs.append(Glyph(font, glyph_id, matrix, size, line, block, rgb, alpha,
                                    to_unicode.get(glyph_id, "")))
            advance += widths.get(glyph_id, 0) / 1000 * size
    return advance


def glyph_ids(hex_ids, bitmap):
    """Return the glyph ids of a TJ's hex string: two bytes each, one in a bitmap font."""
    raw = bytes.fromhex(hex_ids.decode())
    return raw if bitmap else struct.unpack(f">{len(raw) // 2}H", raw)


def line_key(text_matrix):
    """Return the key of the line a text matrix starts: its baseline, in half units (whatever the run's font)."""
    return round(text_matrix[5] * 2)


def alpha_of(item, current):
    """Return the fill alpha a WeasyPrint `/a0.85 gs` sets (its states are named after their alpha)."""
    try:
        return float(item.split()[0][2:])
    except ValueError:
        return current
