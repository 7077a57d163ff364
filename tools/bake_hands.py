#!/usr/bin/env python3
"""Bake each hand's varied font: every letter in several slightly different shapes, cycled by `calt`.

A developer tool, like tools/build_fonts.py: the application never runs it, a render never pays
for it, and its output, ``static/fonts/<slug>/<slug>-varied.ttf``, is committed beside the source.

What a varied font changes in its source face: its broken glyphs are mended first (tools/glyph_fixes.py:
a capital that sweeps into the space before it, a digit far shorter than the others, a tiny question
mark). What it adds:

- For every letter, digit and punctuation mark of Latin, Cyrillic and Greek (and every glyph the
  face's own ligatures and alternates make from them), 11 more glyphs: composites of the original
  with a small rotation, scale, slant and offset, kept inside the glyph's advance. Each is one
  of SHAPES shapes in one of PHASES word phases; a phase lifts or drops a whole word a little and
  sizes it a little up or down, so the baseline wanders in a slow wave along the line.
- The space in every state, with a slightly different width, so gaps between words differ.
- One `calt` lookup, after all of the face's own lookups, that walks the line as a state
  machine: a letter takes the next shape after the previous glyph's (by a step that depends on
  that glyph, so the cycle does not beat), a space moves the word phase on. Repeated letters
  therefore differ, and the face's own ligatures and contextual forms still apply first.
- The face's own `calt` lookups also under `ss20`, so ``font-feature-settings: "calt" 0,
  "ss20" 1`` writes the face exactly as it was (the `neat` realism level).
- Kerning, mark and cursive positioning for every new glyph, copied from its original.

The glyphs are made here; the layout tables (the cycle, the kerning) in tools/bake_layout.py.

The cmap is untouched, so text extracted from a PDF is the text typed. Glyphs of scripts with
their own shaping (Devanagari, Arabic, CJK) are never varied. Output is byte-for-byte
reproducible: every random choice is seeded by the glyph's name and the face's timestamps are
kept. The varied font is renamed ("<Family> Varied", or initials where the licence reserves the
name) as the OFL asks of modified fonts; a PDF still names it by its CSS family.

Usage (from the repository root)::

    .venv/bin/python tools/bake_hands.py --all            # every face the hand registry uses
    .venv/bin/python tools/bake_hands.py caveat kalam     # some faces, by folder name
    .venv/bin/python tools/bake_hands.py --all --check    # exit 1 if a committed file is stale
"""

import argparse
import hashlib
import io
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bake_layout import (
    STATES,
    add_cycle,
    alias_positioning,
    contextual_rules,
    copy_glyph_classes,
    unwrap,
    varied_lang_systems,
)
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import UNSCALED_COMPONENT_OFFSET, Glyph, GlyphComponent
from glyph_fixes import mend_glyphs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from letterhouse.letters.styles import HANDS, JOINED_HANDS  # noqa: E402 -- the registry, from the checkout

FONTS = ROOT / "static" / "fonts"
BAKE_VERSION = 3  # bump when the recipe changes, so --check sees every file as stale


# Unicode blocks whose letters, digits and punctuation get variants (Latin, Greek, Cyrillic,
# punctuation, currency, Latin ligatures).
VARIED_BLOCKS = ((0x0020, 0x024F), (0x0370, 0x052F), (0x1C80, 0x1C8F), (0x1E00, 0x1FFF),
                 (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2C60, 0x2C7F), (0x2DE0, 0x2DFF),
                 (0xA640, 0xA69F), (0xA720, 0xA7FF), (0xFB00, 0xFB06))
VARIED_CATEGORIES = ("L", "N", "P", "Sc")


@dataclass(frozen=True)
class Profile:
    """How far a face's letters may wander; sizes are fractions of the em."""

    turn_deg: tuple  # rotation, least and most, either way
    scale: float  # x and y scale up to 1 ± this
    slant: float  # shear, x += slant * y
    jitter: float  # a letter's own lift or drop
    wave: tuple  # a word's lift in each phase
    word_scale: tuple  # a word's size in each phase
    space: tuple  # a space's width, least and most, as a share of the original; never narrower,
    # as PDF text extraction takes a space's width as the measure of what is a word gap


PRINT = Profile(turn_deg=(1.0, 3.2), scale=0.06, slant=0.07, jitter=0.024,
                wave=(0.0, 0.05, 0.018, -0.045), word_scale=(1.0, 1.03, 0.985, 0.965), space=(1.0, 1.35))
# Joined hands: letters meet their neighbours at the advance edges, so they turn and shift less.
JOINED = Profile(turn_deg=(0.3, 1.0), scale=0.025, slant=0.03, jitter=0.0,
                 wave=(0.0, 0.03, 0.01, -0.026), word_scale=(1.0, 1.015, 0.995, 0.98), space=(1.0, 1.3))
JOINED_FACES = {Path(HANDS[key].font_file).parent.name for key in JOINED_HANDS}


def varied_path(source):
    """Return where the varied font of a source face goes: caveat/caveat-regular.ttf -> caveat-varied.ttf."""
    source = Path(source)
    return source.with_name(f"{source.parent.name}-varied.ttf")


# --- which glyphs vary ------------------------------------------------------------------------

def is_varied_char(codepoint):
    """Return True for a Latin, Cyrillic or Greek letter, a digit or a punctuation mark."""
    in_block = any(low <= codepoint <= high for low, high in VARIED_BLOCKS)
    return in_block and unicodedata.category(chr(codepoint)).startswith(VARIED_CATEGORIES)


def varied_glyphs(font):
    """Return the glyphs to vary: varied characters and what the face's own substitutions make of them."""
    cmap = font.getBestCmap()
    glyphs = {name for codepoint, name in cmap.items() if is_varied_char(codepoint)}
    glyphs = substitution_closure(font, glyphs)
    marks = glyph_classes(font)
    return sorted((name for name in glyphs if marks.get(name) != 3 and has_outline(font, name)),
                  key=font.getGlyphID)


def substitution_closure(font, glyphs):
    """Return glyphs plus every glyph the face's Latin/Cyrillic/Greek lookups can turn them into."""
    if "GSUB" not in font:
        return set(glyphs)
    lookups = [lookup for index, lookup in enumerate(font["GSUB"].table.LookupList.Lookup)
               if index in reachable_lookups(font["GSUB"].table)]
    closure, size = set(glyphs), -1
    while size != len(closure):
        size = len(closure)
        for lookup in lookups:
            for subtable in lookup.SubTable:
                closure |= substitution_outputs(unwrap(subtable), closure)
    return closure


def reachable_lookups(table):
    """Return the indices of every lookup that Latin, Cyrillic or Greek text can run."""
    features = table.FeatureList.FeatureRecord
    found = set()
    for _, lang_sys in varied_lang_systems(table):
        for index in lang_sys.FeatureIndex:
            found.update(features[index].Feature.LookupListIndex)
    pending = list(found)
    while pending:
        for subtable in table.LookupList.Lookup[pending.pop()].SubTable:
            for nested in nested_lookup_indices(unwrap(subtable)):
                if nested not in found:
                    found.add(nested)
                    pending.append(nested)
    return found


def substitution_outputs(subtable, glyphs):
    """Return the glyphs one substitution subtable makes from the given ones."""
    kind = type(subtable).__name__
    if kind == "SingleSubst":
        return {out for source, out in subtable.mapping.items() if source in glyphs}
    if kind == "AlternateSubst":
        return {out for source, outs in subtable.alternates.items() if source in glyphs for out in outs}
    if kind == "MultipleSubst":
        return {out for source, outs in subtable.mapping.items() if source in glyphs for out in outs}
    if kind == "LigatureSubst":
        return {ligature.LigGlyph for first, ligatures in subtable.ligatures.items() if first in glyphs
                for ligature in ligatures if set(ligature.Component) <= glyphs}
    return set()


def nested_lookup_indices(subtable):
    """Return the lookups a contextual subtable calls."""
    records = []
    for attribute in ("SubstLookupRecord", "PosLookupRecord"):
        records += getattr(subtable, attribute, None) or []
    for rule in contextual_rules(subtable):
        records += getattr(rule, "SubstLookupRecord", None) or getattr(rule, "PosLookupRecord", None) or []
    return [record.LookupListIndex for record in records]


def glyph_classes(font):
    """Return GDEF glyph classes by glyph name (1 base, 2 ligature, 3 mark), or {}."""
    gdef = font["GDEF"].table if "GDEF" in font else None
    return dict(gdef.GlyphClassDef.classDefs) if gdef and gdef.GlyphClassDef else {}


def has_outline(font, name):
    glyph = font["glyf"][name]
    return glyph.numberOfContours != 0


def space_glyphs(font):
    """Return the glyphs of the space and the no-break space, the word phase's carriers."""
    cmap = font.getBestCmap()
    return sorted({cmap[cp] for cp in (0x20, 0xA0) if cp in cmap}, key=font.getGlyphID)


# --- the variant glyphs -----------------------------------------------------------------------

def rng_for(*parts):
    """Return a random generator seeded by names, the same on every machine and every run."""
    return random.Random(hashlib.sha256(":".join(map(str, parts)).encode()).digest())


def shape_matrix(profile, name, shape):
    """Return the 2x2 matrix (rotation, scale, slant) of one shape of one glyph; shape 0 is identity."""
    if shape == 0:
        return (1.0, 0.0, 0.0, 1.0)
    rng = rng_for(name, shape)
    turn = math.radians(rng.uniform(*profile.turn_deg) * rng.choice((-1, 1)))
    sx, sy = (1 + rng.uniform(-profile.scale, profile.scale) for _ in range(2))
    slant = rng.uniform(-profile.slant, profile.slant)
    cos, sin = math.cos(turn), math.sin(turn)
    # rotate(turn) . shear(slant) . scale(sx, sy), acting on column vectors
    return (cos * sx, (cos * slant - sin) * sy, sin * sx, (sin * slant + cos) * sy)


def variant_transform(profile, name, state, units):
    """Return (matrix, lift in font units) for a glyph in a state."""
    shape, phase = state
    a, b, c, d = shape_matrix(profile, name, shape)
    word = profile.word_scale[phase]
    jitter = rng_for(name, shape, "lift").uniform(-profile.jitter, profile.jitter) if shape else 0.0
    lift = (profile.wave[phase] + jitter) * units
    return (a * word, b * word, c * word, d * word), lift


def composite(font, base, matrix, lift, upem):
    """Return a composite glyph drawing `base` through matrix about its baseline centre, kept in its advance."""
    glyf = font["glyf"]
    source = glyf[base]
    advance = font["hmtx"][base][0]
    pivot_x = (source.xMin + source.xMax) / 2
    a, b, c, d = matrix
    component = GlyphComponent()
    component.glyphName = base
    component.flags = UNSCALED_COMPONENT_OFFSET
    component.transform = [[a, c], [b, d]]  # fontTools: x' = x*t00 + y*t10, y' = x*t01 + y*t11
    component.x = round(pivot_x - a * pivot_x)
    component.y = round(lift - c * pivot_x)
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = [component]
    glyph.recalcBounds(glyf)
    component.x += overflow_shift(glyph, source, advance, 0.01 * upem)
    glyph.recalcBounds(glyf)
    return glyph


def overflow_shift(glyph, source, advance, slack):
    """Return the x shift that brings a variant back inside its original's ink and advance."""
    left = min(source.xMin, 0) - slack
    right = max(source.xMax, advance) + slack
    if glyph.xMin < left:
        return round(left - glyph.xMin)
    if glyph.xMax > right:
        return round(right - glyph.xMax)
    return 0


def variant_name(base, index):
    return f"{base}.lh{index:02d}"


def add_variants(font, profile, letters, spaces):
    """Add every letter and space in every state; return {state index: {original: variant}}."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    upem = font["head"].unitsPerEm
    copies = {}
    variants = {index: {} for index in range(1, len(STATES))}
    for base in letters + spaces:
        for index, state in enumerate(STATES[1:], start=1):
            name = variants[index][base] = variant_name(base, index)
            copies.setdefault(base, []).append(name)
            if base in spaces:
                glyf.glyphs[name] = empty_glyph()
                width = rng_for(base, index, "space").uniform(*profile.space)
                hmtx.metrics[name] = (round(hmtx[base][0] * width), 0)
            else:
                glyf.glyphs[name] = composite(font, base, *variant_transform(profile, base, state, upem), upem)
                hmtx.metrics[name] = (hmtx[base][0], glyf.glyphs[name].xMin)
    # Each glyph's copies right after it: the originals keep their order (so the face's own
    # coverage tables stay sorted), classes pack as ranges, and a PDF's subset, which keeps every
    # glyph id up to the highest it uses, stays small for text in the first few hundred glyphs.
    order = [name for glyph in font.getGlyphOrder() for name in (glyph, *copies.get(glyph, ()))]
    for name in font.getGlyphOrder():
        glyf[name]  # expands it: a composite still in its raw bytes would keep its components' old ids
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    return variants


def empty_glyph():
    glyph = Glyph()
    glyph.numberOfContours = 0
    return glyph


# --- names and the whole bake -----------------------------------------------------------------

def varied_family(family, licence_text):
    """Return the varied font's family name: "<Family> Varied", or initials where the name is reserved."""
    reserved = re.findall(r"Reserved Font Names? [\"'“]?([^\"'”.,]+)", licence_text)
    if any(name.strip().lower() in family.lower() for name in reserved):
        family = "".join(word[0] for word in family.split()) + " Letterhouse"
    return f"{family} Varied"


def rename(font, family, source_digest):
    """Name the varied font as its own family and note what it was baked from."""
    postscript = re.sub(r"[^A-Za-z0-9-]", "", family.replace(" ", "")) + "-Regular"
    note = f"baked by Letterhouse tools/bake_hands.py v{BAKE_VERSION} from sha256:{source_digest}"
    names = {1: family, 3: f"{postscript};{source_digest[:12]}", 4: f"{family} Regular", 6: postscript,
             16: family, 17: "Regular"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
        elif record.nameID == 5:
            record.string = f"{record.toUnicode().split(';')[0]}; {note}"


def bake(source):
    """Return the bytes of the varied font for a source face."""
    source = Path(source)
    data = source.read_bytes()
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for tag in font.keys():
        font[tag]  # decompile everything under the original glyph order
    profile = JOINED if source.parent.name in JOINED_FACES else PRINT
    mend_glyphs(font)  # before the variants, which are drawn from the mended glyphs
    letters, spaces = varied_glyphs(font), space_glyphs(font)
    variants = add_variants(font, profile, letters, spaces)
    originals = {new: old for mapping in variants.values() for old, new in mapping.items()}
    add_cycle(font, letters, spaces, variants)
    copy_glyph_classes(font, originals)
    alias_positioning(font, originals)
    licence = "".join(p.read_text(errors="ignore") for p in source.parent.glob("*.txt"))
    rename(font, varied_family(font["name"].getDebugName(1), licence), hashlib.sha256(data).hexdigest())
    font["post"].formatType = 3.0  # 10,000 glyph names would be a third of the file; a PDF needs none
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def registry_sources():
    """Return the source font of every face the hand registry uses."""
    return sorted({FONTS / hand.font_file for hand in HANDS.values()})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("faces", nargs="*", help="folder names under static/fonts/, e.g. caveat")
    parser.add_argument("--all", action="store_true", help="every face the hand registry uses")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    args = parser.parse_args(argv)
    sources = registry_sources() if args.all else []
    sources += [FONTS / face / f"{face}-regular.ttf" for face in args.faces]
    if not sources:
        parser.error("name some faces, or use --all")
    stale = []
    for source in sources:
        target, baked = varied_path(source), bake(source)
        current = target.read_bytes() if target.exists() else b""
        if current != baked:
            stale.append(target)
            if not args.check:
                target.write_bytes(baked)
        print(f"{'stale' if current != baked else 'ok':5} {target.relative_to(ROOT)} ({len(baked) // 1024} KB)")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
