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


def noise(width, height, blur, rng):
    """Return greyscale noise around 128, blurred by `blur` px."""
    return Image.frombytes("L", (width, height), rng.randbytes(width * height)).filter(ImageFilter.GaussianBlur(blur))


def stretch(image, low, high):
    """Return a greyscale image with its tones stretched to span low..high."""
    lo, hi = image.getextrema()
    return image.point(lambda v: low + (v - lo) * (high - low) // max(hi - lo, 1))


def laid_sheet(rng, px_per_mm=3, width_mm=220, height_mm=300):
    """Return a whole sheet of cream laid paper: fibres, fine laid lines 1 mm apart, chain lines 25 mm apart.

    A whole sheet rather than a tile: a tile's fibres repeat at its period, which the eye finds
    (a 60 mm tile repeated every 354 px at 150 dpi, 98% of the paper identical after the shift).
    The sheet covers A4, US Letter and A5 without being stretched.
    """
    width, height = px_per_mm * width_mm, px_per_mm * height_mm
    shade = stretch(noise(width, height, 0.6, rng), 118, 138)  # fibres
    cloud = noise(width // 8, height // 8, 1.1, rng).resize((width, height), Image.BICUBIC)
    shade = ImageChops.add(shade, stretch(cloud, 122, 134), scale=2)  # the sheet's uneven formation
    for y in range(0, height, px_per_mm):  # laid lines: slightly lighter, where the wires thinned the pulp
        row = shade.crop((0, y, width, y + 1)).point(lambda v: min(255, v + 5))
        shade.paste(row, (0, y))
    for x in range(px_per_mm * 12, width, px_per_mm * 25):  # chain lines
        column = shade.crop((x, 0, x + 1, height)).point(lambda v: min(255, v + 4))
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


def aged_sheet(rng, px_per_mm=3, width_mm=210, height_mm=297):
    """Return a whole sheet of aged paper: warm, unevenly toned, darker towards the edges, foxed."""
    width, height = width_mm * px_per_mm, height_mm * px_per_mm
    blotches = stretch(smooth_noise(width, height, 9, rng), 116, 140)
    edges = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(edges)
    border = 14 * px_per_mm
    for inset in range(border):
        draw.rectangle([inset, inset, width - 1 - inset, height - 1 - inset], outline=(border - inset) * 16 // border)
    edges = edges.filter(ImageFilter.GaussianBlur(3 * px_per_mm))
    sheet = tint(ImageChops.subtract(blotches, edges), (236, 221, 188))
    return Image.composite(Image.new("RGB", sheet.size, (140, 86, 42)), sheet, foxing(sheet.size, rng, px_per_mm))


def foxing(size, rng, px_per_mm, clusters=14, specks=30):
    """Return a mask of foxing: soft rust blooms and specks, most of them near the sheet's edges.

    Foxing is drawn into the JPEG rather than laid over it as translucent SVG: that cost
    12 to 17 ms a page, and Poppler-based viewers drew the translucent blots pale.
    """
    stain = Image.new("L", size, 0)
    for _ in range(clusters):
        x, y = edge_biased(rng)
        radius = rng.uniform(0.8, 3.0)
        for _ in range(rng.randint(2, 5)):  # a bloom is a few overlapping blots, not one disc
            blot(stain, x + rng.gauss(0, radius * 0.5), y + rng.gauss(0, radius * 0.5),
                 radius * rng.uniform(0.35, 0.8), 22, px_per_mm, rng)
        blot(stain, x, y, radius * 0.3, 45, px_per_mm, rng)
        blot(stain, x, y, radius * 0.12, 90, px_per_mm, rng)  # its darker core
    for _ in range(specks):
        blot(stain, *edge_biased(rng), rng.uniform(0.12, 0.35), rng.choice((45, 90)), px_per_mm, rng)
    return stain.filter(ImageFilter.GaussianBlur(0.25 * px_per_mm))


def edge_biased(rng):
    """Return a point on an A4 sheet in mm, most often near an edge, where damp gets in."""
    x, y = rng.random(), rng.random()
    if rng.random() < 0.7:
        x = x * 0.14 if rng.random() < 0.5 else 1 - x * 0.14
    return x * 210, y * 297


def blot(stain, x, y, radius, strength, px_per_mm, rng):
    """Darken the stain mask with one slightly oval blot (overlaps keep the stronger)."""
    stretch_x = rng.uniform(0.75, 1.3)
    rx, ry = radius * stretch_x * px_per_mm, radius / stretch_x * px_per_mm
    cx, cy = x * px_per_mm, y * px_per_mm
    layer = Image.new("L", stain.size, 0)
    ImageDraw.Draw(layer).ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=strength)
    stain.paste(ImageChops.lighter(stain, layer))


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
        "laid.jpg": jpeg(laid_sheet(rng), 80),
        "aged.jpg": jpeg(aged_sheet(rng), 88),
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
