"""Glyph coverage: which bundled face writes each character of a letter, and what none can."""

import functools
import re
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from fontTools.ttLib import TTFont

from letterhouse.render.hands import FALLBACK_ORDER, HANDS, LATIN_FALLBACK, STATIC_FONTS, all_faces

LEFT_OUT = "will be left out"
NOBODY = False  # the face of a character no bundled face can write
EDGE = "edge"  # before the first or after the last letter of a text
# Spaces, punctuation and digits take the face of the writing around them, so that a phrase
# in another script stays one run (one right-to-left island for Arabic, say).
NEUTRAL_BIDI_CLASSES = frozenset({"WS", "ON", "CS", "ES", "ET", "EN", "AN", "BN", "S", "NSM"})
TEXT_FIELD_TYPES = ("string", "text")
BLANKS = ("Zs", "Cc")  # spaces and control characters: a hand without them gets a plain space


@dataclass(frozen=True)
class Run:
    """Consecutive characters written in one face: face None is the letter's own hand."""

    text: str
    face: str | None


@dataclass(frozen=True)
class CoverageNote:
    """Characters typed into one field that no bundled hand can write, and what happens to them."""

    field: str
    label: str
    characters: tuple
    outcome: str = LEFT_OUT

    @property
    def message(self):
        named = [character_name(c) for c in self.characters]
        shown = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        pronoun = "it" if len(named) == 1 else "they"
        return f"{self.label}: no hand we have can write {shown}, so {pronoun} {self.outcome}."

    def as_dict(self):
        return {"field": self.field, "label": self.label, "characters": list(self.characters),
                "outcome": self.outcome, "message": self.message}


def character_name(char):
    """Return a character with its Unicode name, for a reader whose screen cannot show it: '🧺 (basket)'."""
    return f"{char} ({unicodedata.name(char, f'U+{ord(char):04X}').lower()})"


@functools.cache
def codepoints(font_file):
    """Return the characters a font file can write (its cmap), read once per process."""
    return frozenset(TTFont(STATIC_FONTS / font_file, lazy=True).getBestCmap())


def can_write(face_key, char):
    """Return whether a face (a hand's or a fallback's key) has a glyph for char."""
    return ord(char) in codepoints(all_faces()[face_key].font_file)


@functools.cache
def fallback_order(hand_key, japanese=False):
    """Return the faces tried, in order, for a character this hand cannot write."""
    order = list(FALLBACK_ORDER)
    if japanese:
        order.remove("yomogi")
        order.insert(order.index("ma-shan-zheng"), "yomogi")
    if hand_key in LATIN_FALLBACK:
        order.insert(0, LATIN_FALLBACK[hand_key])
    order += [key for key in all_faces() if key not in order and key != hand_key]
    return tuple(order)


def face_for(char, hand_key, japanese=False):
    """Return None if the hand writes char, else the face that does, else NOBODY."""
    if ord(char) in codepoints(HANDS[hand_key].font_file):
        return None
    return next((key for key in fallback_order(hand_key, japanese) if can_write(key, char)), NOBODY)


def is_ignorable(char):
    """Return whether a character draws nothing itself (a joiner, a variation selector)."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


def plain_spaces(text, hand_key):
    """Return text in NFC with any space or control character the hand lacks made a plain space."""
    hand = codepoints(HANDS[hand_key].font_file)
    return "".join(" " if unicodedata.category(c) in BLANKS and ord(c) not in hand else c
                   for c in unicodedata.normalize("NFC", text))


@functools.cache
def plainly_written(hand_key):
    """Return the characters this hand writes itself that draw something: a text of only these is one run."""
    return frozenset(point for point in codepoints(HANDS[hand_key].font_file) if not is_ignorable(chr(point)))


def written_runs(text, hand_key, japanese=False):
    """Return text as runs of one face each, leaving out what no face can write."""
    text = unicodedata.normalize("NFC", text)
    if plainly_written(hand_key).issuperset(map(ord, text)):  # most texts: every character in the hand
        return [Run(text, None)] if text else []
    text = plain_spaces(text, hand_key)
    faces = join_neutrals(text, [face_for(c, hand_key, japanese) for c in text])
    kept = [(char, face) for char, face in zip(text, faces) if face is not NOBODY]
    return [Run("".join(char for char, _ in group), face) for face, group in groupby(kept, key=itemgetter(1))]


def join_neutrals(text, faces):
    """Return faces with each neutral or ignorable character given the face of the run it sits in."""
    neutral = [is_neutral(c) for c in text]
    before = strong_faces(faces, neutral)
    after = strong_faces(faces[::-1], neutral[::-1])[::-1]
    joined = list(faces)
    for i, char in enumerate(text):
        if not neutral[i]:
            continue
        around = {before[i], after[i]} - {EDGE}
        face = next(iter(around)) if len(around) == 1 else None
        if face and not is_ignorable(char) and can_write(face, char):
            joined[i] = face
    for i, char in enumerate(text):  # a joiner or selector goes with its character, even into oblivion
        if is_ignorable(char):
            joined[i] = joined[i - 1] if i else first_face(text, joined)
    return joined


def first_face(text, faces):
    """Return the face of a text's first character that draws something."""
    return next((face for char, face in zip(text, faces) if not is_ignorable(char)), None)


def strong_faces(faces, neutral):
    """Return, for each position, the face of the nearest earlier character that is not neutral."""
    found, last = [], EDGE
    for face, is_neutral_char in zip(faces, neutral):
        found.append(last)
        if not is_neutral_char:
            last = face
    return found


def is_neutral(char):
    """Return whether a character takes its direction, and so its face, from its neighbours."""
    return is_ignorable(char) or unicodedata.bidirectional(char) in NEUTRAL_BIDI_CLASSES


def unwritable_characters(text):
    """Return, in order of first appearance, the characters no bundled face can write."""
    found = {}
    for char in unicodedata.normalize("NFC", text):
        if is_ignorable(char) or unicodedata.category(char) in BLANKS:
            continue  # drawn as nothing, or as a plain space
        if not any(can_write(key, char) for key in all_faces()):
            found.setdefault(char, None)
    return tuple(found)


def coverage_notes(letter):
    """Return a CoverageNote for each text field of a letter holding characters no hand can write.

    The web preview shows these above the pages; any other door (the JSON API, the CLI)
    can report them the same way, as note.message or note.as_dict().
    """
    notes = []
    for spec in letter.template.all_fields:
        value = letter.values.get(spec.name)
        if spec.type in TEXT_FIELD_TYPES and isinstance(value, str):
            characters = unwritable_characters(value)
            if characters:
                notes.append(CoverageNote(spec.name, spec.label, characters))
    return notes


KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")


def is_japanese(texts):
    """Return whether any of these texts has kana, so Han characters should be written as Japanese."""
    return any(KANA.search(text) for text in texts)
