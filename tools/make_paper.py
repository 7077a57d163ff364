#!/usr/bin/env python3
"""Draw the paper textures in static/paper/ (developer tool; the output is committed).

Every texture is drawn from a fixed seed, so running this again gives the same files:

    .venv/bin/python tools/make_paper.py            # writes static/paper/
    .venv/bin/python tools/make_paper.py --check    # exits 1 if the committed files differ

Textures are JPEG or SVG because WeasyPrint draws a PNG texture slowly (210-290 ms a page,
measured) and a JPEG or an SVG in a few milliseconds.
"""

import argparse
import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

PAPER = Path(__file__).resolve().parent.parent / "static" / "paper"
SEED = 1840  # the year of the Penny Black


def seamless_noise(size, blur, rng):
    """Return greyscale noise around 128 that tiles without a seam (blurred across its own edges)."""
    noise = Image.frombytes("L", (size, size), bytes(rng.randrange(256) for _ in range(size * size)))
    tiled = Image.new("L", (size * 3, size * 3))
    for x in range(3):
        for y in range(3):
            tiled.paste(noise, (x * size, y * size))
    tiled = tiled.filter(ImageFilter.GaussianBlur(blur))
    return tiled.crop((size, size, size * 2, size * 2))


def stretch(image, low, high):
    """Return a greyscale image with its tones stretched to span low..high."""
    lo, hi = image.getextrema()
    return image.point(lambda v: low + (v - lo) * (high - low) // max(hi - lo, 1))


def laid_tile(rng, px_per_mm=6, tile_mm=50):
    """Return a tile of cream laid paper: fine laid lines 1 mm apart, chain lines 25 mm apart, fibres."""
    size = px_per_mm * tile_mm
    shade = stretch(seamless_noise(size, 1.2, rng), 118, 138)  # fibres
    cloud = stretch(seamless_noise(size, 18, rng), 122, 134)  # the sheet's uneven formation
    shade = ImageChops.add(shade, cloud, scale=2)
    for y in range(0, size, px_per_mm):  # laid lines: slightly lighter, where the wires thinned the pulp
        row = shade.crop((0, y, size, y + 1)).point(lambda v: min(255, v + 5))
        shade.paste(row, (0, y))
    for x in range(px_per_mm * 12, size, px_per_mm * 25):  # chain lines
        column = shade.crop((x, 0, x + 2, size)).point(lambda v: min(255, v + 4))
        shade.paste(column, (x, 0))
    return tint(shade, (247, 240, 220))


def tint(shade, base):
    """Return an RGB image of the base colour, lighter or darker where the shade is above or below 128."""
    channels = [shade.point(lambda v, c=c: max(0, min(255, c + (v - 128)))) for c in base]
    return Image.merge("RGB", channels)


def smooth_noise(width, height, cells, rng):
    """Return greyscale noise with blotches about width/cells across, smooth enough to enlarge."""
    small = Image.frombytes("L", (cells, round(cells * height / width)),
                            bytes(rng.randrange(256) for _ in range(cells * round(cells * height / width))))
    return small.resize((width, height), Image.BICUBIC).filter(ImageFilter.GaussianBlur(width / cells / 3))


def aged_sheet(rng, px_per_mm=2, width_mm=210, height_mm=297):
    """Return a whole sheet of aged paper: warm, unevenly toned, darker towards the edges."""
    width, height = width_mm * px_per_mm, height_mm * px_per_mm
    blotches = stretch(smooth_noise(width, height, 9, rng), 116, 140)
    edges = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(edges)
    border = 14 * px_per_mm
    for inset in range(border):
        draw.rectangle([inset, inset, width - 1 - inset, height - 1 - inset], outline=(border - inset) * 16 // border)
    edges = edges.filter(ImageFilter.GaussianBlur(3 * px_per_mm))
    return tint(ImageChops.subtract(blotches, edges), (236, 221, 188))


def foxing_svg(rng, clusters=16, specks=40):
    """Return an SVG of foxing: irregular rust-brown blooms and specks, most of them near the edges."""
    shapes = []
    for _ in range(clusters):
        x, y = edge_biased(rng)
        size = rng.uniform(0.8, 3.0)
        for _ in range(rng.randint(3, 7)):  # a bloom is a few overlapping blots, not one disc
            shapes.append(blot(x + rng.gauss(0, size * 0.5), y + rng.gauss(0, size * 0.5),
                               size * rng.uniform(0.35, 0.8), rng.uniform(0.06, 0.16), rng))
        shapes.append(blot(x, y, size * 0.18, rng.uniform(0.25, 0.4), rng))  # its darker core
    for _ in range(specks):
        x, y = edge_biased(rng)
        shapes.append(blot(x, y, rng.uniform(0.12, 0.35), rng.uniform(0.2, 0.45), rng))
    return "\n".join([
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297"'
        ' preserveAspectRatio="none">',
        "  <!-- Foxing for aged paper, drawn by tools/make_paper.py for Letterhouse, CC0. -->",
        '  <defs><radialGradient id="f"><stop offset="0" stop-color="rgb(132 78 36)"/>'
        '<stop offset="0.6" stop-color="rgb(146 92 48)" stop-opacity="0.6"/>'
        '<stop offset="1" stop-color="rgb(160 110 60)" stop-opacity="0"/></radialGradient></defs>',
        *shapes,
        "</svg>",
        "",
    ])


def edge_biased(rng):
    """Return a point on an A4 sheet in mm, most often near an edge, where damp gets in."""
    x, y = rng.random(), rng.random()
    if rng.random() < 0.7:
        x = x * 0.14 if rng.random() < 0.5 else 1 - x * 0.14
    return x * 210, y * 297


def blot(x, y, radius, opacity, rng):
    """Return one slightly oval blot as an SVG ellipse."""
    stretch_x = rng.uniform(0.75, 1.3)
    return (f'  <ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{radius * stretch_x:.2f}" ry="{radius / stretch_x:.2f}" '
            f'fill="url(#f)" fill-opacity="{opacity:.2f}"/>')


MARGIN_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="2mm" height="10mm" viewBox="0 0 20 100">
  <!-- The red margin line of ruled paper, repeated down the sheet. Drawn for Letterhouse, CC0. -->
  <rect x="9" y="0" width="2.2" height="100" fill="rgb(214 90 96)" fill-opacity="0.6"/>
</svg>
"""


def jpeg(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=False)
    return buffer.getvalue()


def textures():
    """Return every texture file as {name: bytes}."""
    rng = random.Random(SEED)
    return {
        "laid.jpg": jpeg(laid_tile(rng), 88),
        "aged.jpg": jpeg(aged_sheet(rng), 90),
        "foxing.svg": foxing_svg(rng).encode(),
        "margin.svg": MARGIN_SVG.encode(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    args = parser.parse_args()
    stale = []
    for name, data in textures().items():
        path = PAPER / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.write_bytes(data)
            print(f"{path} ({len(data) // 1024} KB)")
    if stale:
        sys.exit(f"out of date: {', '.join(stale)}; run tools/make_paper.py")


if __name__ == "__main__":
    main()
