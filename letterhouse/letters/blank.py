"""The one definition of blank text: nothing a reader would see, however many characters it has."""

import unicodedata

# Spaces of every width, line and paragraph breaks, control characters, and the invisible format characters
# (zero-width space and joiners, the byte order mark, soft hyphen): none of them is something written.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
# Letters and symbols that are drawn as nothing: Hangul fillers, the braille blank, the combining grapheme joiner.
DRAWN_AS_NOTHING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def is_blank(text):
    """Return whether text shows nothing: "", "   ", "\\u00a0" and "\\u200b" are blank; "." is not."""
    return all(char.isspace() or char in DRAWN_AS_NOTHING or unicodedata.category(char) in INVISIBLE_CATEGORIES
               for char in text)


def is_blank_text(value):
    """Return whether a value is text that shows nothing (a number or true is never blank)."""
    return isinstance(value, str) and is_blank(value)
