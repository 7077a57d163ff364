#!/usr/bin/env python3
"""Bake each hand's varied font: every letter in several slightly different shapes, cycled by `calt`.

A developer tool, like tools/build_fonts.py: the application never runs it, a render never pays
for it, and its output, ``static/fonts/<slug>/<slug>-varied.ttf``, is committed beside the source.

What a varied font adds to its source face:

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

The cmap is untouched, so text extracted from a PDF is the text typed. Glyphs of scripts with
their own shaping (Devanagari, Arabic, CJK) are never varied. Output is byte-for-byte
reproducible: every random choice is seeded by the glyph's name and the face's timestamps are
kept. The varied font is renamed ("<Family> Varied") as the OFL asks of modified fonts.

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

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.otlLib import builder
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables
from fontTools.ttLib.tables._g_l_y_f import UNSCALED_COMPONENT_OFFSET, Glyph, GlyphComponent

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "fonts"
BAKE_VERSION = 2  # bump when the recipe changes, so --check sees every file as stale

SHAPES = 3  # shapes per letter: the original and two alternates
PHASES = 4  # word phases of the baseline wave
STATES = [(shape, phase) for phase in range(PHASES) for shape in range(SHAPES)]  # (0, 0): the original
GROUPS = 3  # every glyph is in a group, fixed by its name, that says how the next glyph steps on
SHAPE_STEPS = (1, 2, 1)  # after a letter of group g the next letter's shape moves on this many
PHASE_STEPS = (1, 1, -1)  # after a word ending in group g the next word's phase moves on this many
OWN_CALT_COPY = "ss20"  # the face's own calt, under a tag `neat` can turn on alone
VARIED_SCRIPTS = {"DFLT", "latn", "cyrl", "grek"}

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
JOINED_FACES = {"dancing-script", "homemade-apple", "marck-script", "great-vibes", "nothing-you-could-do"}


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


def contextual_rules(subtable):
    """Return the rules of a format 1 or 2 (chain) context subtable, or []."""
    rules = []
    for set_name in ("SubRuleSet", "SubClassSet", "ChainSubRuleSet", "ChainSubClassSet",
                     "PosRuleSet", "PosClassSet", "ChainPosRuleSet", "ChainPosClassSet"):
        for rule_set in filter(None, getattr(subtable, set_name, None) or []):
            for rule_name in ("SubRule", "SubClassRule", "ChainSubRule", "ChainSubClassRule",
                              "PosRule", "PosClassRule", "ChainPosRule", "ChainPosClassRule"):
                rules += getattr(rule_set, rule_name, None) or []
    return rules


def unwrap(subtable):
    """Return the real subtable inside an Extension subtable."""
    return subtable.ExtSubTable if hasattr(subtable, "ExtSubTable") else subtable


def varied_lang_systems(table):
    """Yield (script tag, LangSys) for every language system of the scripts we vary."""
    for record in table.ScriptList.ScriptRecord:
        if record.ScriptTag not in VARIED_SCRIPTS:
            continue
        if record.Script.DefaultLangSys:
            yield record.ScriptTag, record.Script.DefaultLangSys
        for lang in record.Script.LangSysRecord:
            yield record.ScriptTag, lang.LangSys


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


# --- the calt cycle ---------------------------------------------------------------------------

def group_of(name):
    """Return which group a glyph steps the shape cycle by; fixed by its name."""
    return hashlib.sha256(name.encode()).digest()[0] % GROUPS


def next_state(state, previous_group, is_space):
    """Return the state of a glyph from the state and group of the glyph before it."""
    shape, phase = state
    if is_space:  # a new word: the wave moves on, mostly forward, sometimes back
        return STATES.index((shape, (phase + PHASE_STEPS[previous_group]) % PHASES))
    return STATES.index(((shape + SHAPE_STEPS[previous_group]) % SHAPES, phase))


def cycle_features(letters, spaces, variants):
    """Return feature-file text for the state machine: one lookup per state and one chaining lookup."""
    def glyph_class(names):
        return "[" + " ".join(names) + "]"

    originals = letters + spaces
    lines = ["languagesystem DFLT dflt;", "languagesystem latn dflt;"]
    for index in variants:
        targets = [variants[index][name] for name in originals]
        lines.append(f"lookup lh_state{index} {{ sub {glyph_class(originals)} by {glyph_class(targets)}; }}"
                     f" lh_state{index};")
    lines.append("lookup lh_cycle {\n  lookupflag IgnoreMarks;")
    for index, _ in enumerate(STATES):
        for group in range(GROUPS):
            before = [name if index == 0 else variants[index][name] for name in originals
                      if (0 if name in spaces else group_of(name)) == group]
            if not before:
                continue
            for current, is_space in ((letters, False), (spaces, True)):
                target = next_state(STATES[index], group, is_space)
                if current and target:
                    lines.append(f"  sub {glyph_class(before)} {glyph_class(current)}' lookup lh_state{target};")
    lines.append("} lh_cycle;")
    lines.append("feature calt { lookup lh_cycle; } calt;")
    return "\n".join(lines)


def add_cycle(font, letters, spaces, variants):
    """Compile the cycle with feaLib and append it after all of the face's own GSUB lookups."""
    own = font["GSUB"] if "GSUB" in font else None
    if own is not None:
        del font["GSUB"]
    addOpenTypeFeaturesFromString(font, cycle_features(letters, spaces, variants), tables=["GSUB"])
    cycle = font["GSUB"].table.LookupList.Lookup[-1]
    cycle.SubTable = class_based(font, [unwrap(subtable) for subtable in cycle.SubTable])
    cycle.SubTableCount, cycle.LookupType = len(cycle.SubTable), 6
    if own is None:
        return
    graft_lookups(own.table, font["GSUB"].table)
    font["GSUB"] = own


def class_based(font, rules):
    """Return the cycle's rules as class-based subtables, one for letters and one for spaces.

    feaLib writes one coverage-based subtable per rule, which HarfBuzz tries in turn for every
    glyph. By class, with every glyph before that leads to the same state in one class, it checks
    a dozen classes at most (measured: the cycle's share of a letter's render fell from 7 to 2 ms).
    Each rule is one glyph before (a state and group) and the glyph itself (a letter or a space).
    """
    targets = {}  # glyphs the rule applies to -> {lookup it calls: glyphs before}
    for rule in rules:
        current = tuple(rule.InputCoverage[0].glyphs)
        lookup = rule.SubstLookupRecord[0].LookupListIndex
        targets.setdefault(current, {}).setdefault(lookup, set()).update(rule.BacktrackCoverage[0].glyphs)
    return [one_input_subtable(font, current, befores) for current, befores in targets.items()]


def one_input_subtable(font, current, befores):
    """Return a class-based subtable: for `current` glyphs, the lookup called depends on the glyph before."""
    subtable = otTables.ChainContextSubst()
    subtable.Format = 2
    subtable.Coverage = otTables.Coverage()
    subtable.Coverage.glyphs = sorted(current, key=font.getGlyphID)
    before_classes = {tuple(sorted(glyphs)): number for number, glyphs in enumerate(befores.values(), start=1)}
    subtable.BacktrackClassDef = class_def(before_classes)
    subtable.InputClassDef, subtable.LookAheadClassDef = class_def({}), class_def({})
    class_set = otTables.ChainSubClassSet()
    class_set.ChainSubClassRule = [class_rule(number, lookup)
                                   for number, lookup in enumerate(befores, start=1)]
    class_set.ChainSubClassRuleCount = len(class_set.ChainSubClassRule)
    subtable.ChainSubClassSet, subtable.ChainSubClassSetCount = [class_set], 1
    return subtable


def class_def(classes):
    definition = otTables.ClassDef()
    definition.classDefs = {glyph: number for glyphs, number in classes.items() for glyph in glyphs}
    return definition


def class_rule(before, lookup):
    rule = otTables.ChainSubClassRule()
    rule.Backtrack, rule.BacktrackGlyphCount = [before], 1
    rule.Input, rule.InputGlyphCount = [], 1
    rule.LookAhead, rule.LookAheadGlyphCount = [], 0
    record = otTables.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, lookup
    rule.SubstLookupRecord, rule.SubstCount = [record], 1
    return rule


def graft_lookups(own, mine):
    """Append our lookups after the face's own and put our calt in every Latin-ish language system."""
    offset = len(own.LookupList.Lookup)
    for lookup in mine.LookupList.Lookup:
        for subtable in lookup.SubTable:
            for record in nested_records(unwrap(subtable)):
                record.LookupListIndex += offset
        own.LookupList.Lookup.append(lookup)
    own.LookupList.LookupCount = len(own.LookupList.Lookup)
    cycle = [index + offset for index in mine.FeatureList.FeatureRecord[0].Feature.LookupListIndex]
    add_to_calt(own, cycle)


def nested_records(subtable):
    records = list(getattr(subtable, "SubstLookupRecord", None) or [])
    for rule in contextual_rules(subtable):
        records += getattr(rule, "SubstLookupRecord", None) or []
    return records


def add_to_calt(table, cycle):
    """Append the cycle to each language system's calt (a new calt where it has none); copy own calt to ss20."""
    records = table.FeatureList.FeatureRecord
    if any(record.FeatureTag == OWN_CALT_COPY for record in records):
        raise SystemExit(f"this face already uses {OWN_CALT_COPY}; pick another tag for OWN_CALT_COPY")
    extended, copies, fresh = set(), {}, None
    ensure_latin_lang_system(table)
    for _, lang_sys in varied_lang_systems(table):
        calt = [i for i in lang_sys.FeatureIndex if records[i].FeatureTag == "calt"]
        if not calt:
            fresh = fresh if fresh is not None else new_feature(records, "calt", cycle)
            lang_sys.FeatureIndex.append(fresh)
            continue
        feature = records[calt[0]].Feature
        if calt[0] not in copies:
            copies[calt[0]] = new_feature(records, OWN_CALT_COPY, list(feature.LookupListIndex))
        if id(feature) not in extended:
            feature.LookupListIndex += cycle
            feature.LookupCount = len(feature.LookupListIndex)
            extended.add(id(feature))
        lang_sys.FeatureIndex.append(copies[calt[0]])
    sort_features(table)


def ensure_latin_lang_system(table):
    """Give the face a language system Latin text uses, if it has none (a script with no default)."""
    scripts = {record.ScriptTag: record.Script for record in table.ScriptList.ScriptRecord}
    for tag in ("DFLT", "latn"):
        if tag in scripts and scripts[tag].DefaultLangSys is None:
            scripts[tag].DefaultLangSys = empty_lang_sys()
    if "DFLT" not in scripts and "latn" not in scripts:
        record = otTables.ScriptRecord()
        record.ScriptTag, record.Script = "DFLT", otTables.Script()
        record.Script.DefaultLangSys, record.Script.LangSysRecord = empty_lang_sys(), []
        table.ScriptList.ScriptRecord.insert(0, record)
        table.ScriptList.ScriptCount = len(table.ScriptList.ScriptRecord)


def empty_lang_sys():
    lang_sys = otTables.LangSys()
    lang_sys.LookupOrder, lang_sys.ReqFeatureIndex = None, 0xFFFF
    lang_sys.FeatureIndex = []
    return lang_sys


def new_feature(records, tag, lookups):
    record = otTables.FeatureRecord()
    record.FeatureTag = tag
    record.Feature = otTables.Feature()
    record.Feature.FeatureParams = None
    record.Feature.LookupListIndex = lookups
    record.Feature.LookupCount = len(lookups)
    records.append(record)
    return len(records) - 1


def sort_features(table):
    """Sort the feature list by tag, as the spec asks, and renumber every language system."""
    records = table.FeatureList.FeatureRecord
    order = sorted(range(len(records)), key=lambda i: records[i].FeatureTag)
    new_index = {old: new for new, old in enumerate(order)}
    table.FeatureList.FeatureRecord = [records[i] for i in order]
    table.FeatureList.FeatureCount = len(order)
    for script in table.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys] + [lang.LangSys for lang in script.Script.LangSysRecord]
        for lang_sys in filter(None, systems):
            lang_sys.FeatureIndex = sorted(new_index[i] for i in lang_sys.FeatureIndex)
            lang_sys.FeatureCount = len(lang_sys.FeatureIndex)
            if lang_sys.ReqFeatureIndex != 0xFFFF:
                lang_sys.ReqFeatureIndex = new_index[lang_sys.ReqFeatureIndex]


# --- positioning and glyph classes for the new glyphs -----------------------------------------

def copy_glyph_classes(font, originals):
    """Give each new glyph its original's GDEF class (base, ligature)."""
    if "GDEF" not in font or not font["GDEF"].table.GlyphClassDef:
        return
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    for new, original in originals.items():
        if original in classes:
            classes[new] = classes[original]


def alias_positioning(font, originals):
    """Make every new glyph kern, take marks and join like its original in GPOS."""
    if "GPOS" not in font:
        return
    copies = {}
    for new, original in originals.items():
        copies.setdefault(original, []).append(new)
    for lookup in font["GPOS"].table.LookupList.Lookup:
        subtables = [unwrap(subtable) for subtable in lookup.SubTable]
        if subtables and all(type(subtable).__name__ == "PairPos" for subtable in subtables):
            flatten_kerning(font, lookup, subtables, copies)
        else:
            for subtable in subtables:
                alias_subtable(font, subtable, copies)


def alias_subtable(font, subtable, copies):
    """Extend one non-kerning positioning subtable to the copies of the glyphs it covers."""
    kind, form = type(subtable).__name__, getattr(subtable, "Format", None)
    if kind == "SinglePos" and form == 1:
        extend_coverage(font, subtable.Coverage, copies)
    elif kind == "SinglePos" and form == 2:
        extend_parallel(font, subtable.Coverage, subtable, "Value", copies)
    elif kind == "CursivePos":
        extend_parallel(font, subtable.Coverage, subtable, "EntryExitRecord", copies)
    elif kind == "MarkBasePos":
        extend_parallel(font, subtable.BaseCoverage, subtable.BaseArray, "BaseRecord", copies)
    elif kind == "MarkLigPos":
        extend_parallel(font, subtable.LigatureCoverage, subtable.LigatureArray, "LigatureAttach", copies)
    elif kind in ("ContextPos", "ChainContextPos") and form in (2, 3):
        for coverage in context_coverages(subtable):
            extend_coverage(font, coverage, copies)
        for name in ("ClassDef", "BacktrackClassDef", "InputClassDef", "LookAheadClassDef"):
            if getattr(subtable, name, None):
                extend_class_def(getattr(subtable, name), copies)


def flatten_kerning(font, lookup, subtables, copies):
    """Rewrite a kerning lookup as one class table in which each glyph's copies share its class.

    Copying pair by pair would multiply the pairs by the number of states (and take fontTools
    minutes to pack); a class table with one class per distinct kerning row and column stays small.
    """
    kern = [kerning_rule(subtable) for subtable in subtables]

    def value(first, second):  # the first subtable that applies wins, as in HarfBuzz
        return next((v for v in (rule(first, second) for rule in kern) if v is not None), NO_KERNING)

    firsts = sorted({g for subtable in subtables for g in subtable.Coverage.glyphs}, key=font.getGlyphID)
    seconds = sorted(kerned_seconds(subtables), key=font.getGlyphID)
    if any(value(first, None) != NO_KERNING for first in firsts):
        for subtable in subtables:  # kerns against "any other glyph": too rare to rewrite
            extend_coverage(font, subtable.Coverage, copies)
        return
    columns = grouped(seconds, lambda second: tuple(value(first, second) for first in firsts))
    rows = grouped(firsts, lambda first: tuple(value(first, column[0]) for column in columns))
    table = {}
    for row in rows:
        for column in columns:
            kerning = value(row[0], column[0])
            if kerning != NO_KERNING:
                table[(with_copies(row, copies), with_copies(column, copies))] = tuple(
                    value_record(part) for part in kerning)
    lookup.LookupType = 2
    lookup.SubTable = [builder.buildPairPosClassesSubtable(table, font.getReverseGlyphMap())] if table else []
    lookup.SubTableCount = len(lookup.SubTable)


VALUE_FIELDS = ("XPlacement", "YPlacement", "XAdvance", "YAdvance")
NO_KERNING = ((0, 0, 0, 0), (0, 0, 0, 0))


def kerning_rule(subtable):
    """Return (first, second) -> value, or None where this subtable does not apply."""
    covered = set(subtable.Coverage.glyphs)
    if subtable.Format == 1:
        pairs = {(first, record.SecondGlyph): record_value(record)
                 for first, pair_set in zip(subtable.Coverage.glyphs, subtable.PairSet)
                 for record in pair_set.PairValueRecord}
        return lambda first, second: pairs.get((first, second))
    class1, class2 = subtable.ClassDef1.classDefs, subtable.ClassDef2.classDefs
    return lambda first, second: record_value(
        subtable.Class1Record[class1.get(first, 0)].Class2Record[class2.get(second, 0)]) if first in covered else None


def value_record(fields):
    """Return a ValueRecord holding only the non-zero fields, or None when all are zero."""
    return builder.buildValue({k: v for k, v in zip(VALUE_FIELDS, fields) if v}) if any(fields) else None


def record_value(record):
    return tuple(tuple(getattr(value, field, 0) or 0 for field in VALUE_FIELDS) if value else (0, 0, 0, 0)
                 for value in (record.Value1, getattr(record, "Value2", None)))


def kerned_seconds(subtables):
    """Return every glyph that some subtable kerns as the second of a pair."""
    found = set()
    for subtable in subtables:
        if subtable.Format == 1:
            found |= {record.SecondGlyph for pair_set in subtable.PairSet for record in pair_set.PairValueRecord}
        else:
            found |= set(subtable.ClassDef2.classDefs)
    return found


def grouped(glyphs, key):
    """Return the glyphs grouped by equal key, each group a tuple, in first-seen order."""
    groups = {}
    for glyph in glyphs:
        groups.setdefault(key(glyph), []).append(glyph)
    return [tuple(group) for group in groups.values()]


def with_copies(glyphs, copies):
    return tuple(sorted({g for glyph in glyphs for g in (glyph, *copies.get(glyph, ()))}))


def context_coverages(subtable):
    coverages = [getattr(subtable, "Coverage", None)]
    for name in ("BacktrackCoverage", "InputCoverage", "LookAheadCoverage"):
        coverages += getattr(subtable, name, None) or []
    return [c for c in coverages if c is not None]


def extend_coverage(font, coverage, copies):
    glyphs = set(coverage.glyphs)
    coverage.glyphs = sorted(glyphs | {new for g in glyphs for new in copies.get(g, ())}, key=font.getGlyphID)


def extend_parallel(font, coverage, holder, attribute, copies):
    """Add the copies of covered glyphs to a coverage and to the records that run parallel to it."""
    pairs = list(zip(coverage.glyphs, getattr(holder, attribute)))
    pairs += [(new, record) for glyph, record in pairs for new in copies.get(glyph, ())]
    pairs.sort(key=lambda pair: font.getGlyphID(pair[0]))
    coverage.glyphs = [glyph for glyph, _ in pairs]
    setattr(holder, attribute, [record for _, record in pairs])
    count = {"PairSet": "PairSetCount", "Value": "ValueCount", "EntryExitRecord": "EntryExitCount",
             "BaseRecord": "BaseCount", "LigatureAttach": "LigatureCount"}[attribute]
    setattr(holder, count, len(pairs))


def extend_class_def(class_def, copies):
    classes = class_def.classDefs
    for glyph, number in list(classes.items()):
        for new in copies.get(glyph, ()):
            classes[new] = number


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


def source_note(font):
    """Return the 'baked ... from sha256:...' note a varied font carries, or ''."""
    return font["name"].getDebugName(5) or ""


def bake(source):
    """Return the bytes of the varied font for a source face."""
    source = Path(source)
    data = source.read_bytes()
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for tag in font.keys():
        font[tag]  # decompile everything under the original glyph order
    profile = JOINED if source.parent.name in JOINED_FACES else PRINT
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
    sys.path.insert(0, str(ROOT))
    from letterhouse.handwriting import HANDS

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
