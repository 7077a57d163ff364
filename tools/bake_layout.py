"""OpenType layout for a varied font (tools/bake_hands.py): the calt cycle, and the new glyphs kerned.

The cycle is a state machine that walks a line left to right. Every glyph is in a state, a
(shape, word phase) pair; the original glyph is state (0, 0). A letter takes the next shape after
the glyph before it, a space moves the word phase on, and how far each steps depends on the group
of the glyph before, fixed by its name, so the cycle does not beat in step with the text.
"""

import hashlib

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.otlLib import builder
from fontTools.ttLib.tables import otTables

SHAPES = 3  # shapes per letter: the original and two alternates
PHASES = 4  # word phases of the baseline wave
STATES = [(shape, phase) for phase in range(PHASES) for shape in range(SHAPES)]  # (0, 0): the original
GROUPS = 3  # every glyph is in a group, fixed by its name, that says how the next glyph steps on
SHAPE_STEPS = (1, 2, 1)  # after a letter of group g the next letter's shape moves on this many
PHASE_STEPS = (1, 1, -1)  # after a word ending in group g the next word's phase moves on this many
OWN_CALT_COPY = "ss20"  # the face's own calt, under a tag `neat` can turn on alone
VARIED_SCRIPTS = {"DFLT", "latn", "cyrl", "grek"}


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

    feaLib writes one coverage-based subtable per rule (66 of them), which HarfBuzz tries in turn
    for every glyph. By class, with every glyph before that leads to the same state in one class,
    it checks a dozen rules at most (measured on a one-page letter: WeasyPrint's line breaking,
    which shapes each paragraph again for every line, fell from 9.5 to 7.6 ms).
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
