"""How a letter writer addresses someone, worked out from the whole name they typed.

"Chris Lindqvist" -> "Chris", "Dr. Lee" -> "Dr. Lee", "Aunt May" -> "Aunt May",
"The Okafors" -> "Okafors", "Maya and Luis Ortega" -> "Maya and Luis", "王小明" -> "王小明".

The rules, in order, for each person in the name (people are parted by "&", "and", "+" or commas):

1. A leading "the" is a family or a group: write the rest as typed ("Okafor family").
2. Titles are looked up in TITLES, which says what a writer keeps with each:
   - SURNAME titles keep the family name: "Mrs Anita Patel" -> "Mrs Patel" ("Prof. Dr." both stay);
   - GIVEN titles keep the first given name: "Aunt May Smith" -> "Aunt May", "Sir Paul McCartney" -> "Sir Paul".
   A title alone is written alone: "Nana", "Dear Sir".
3. A name in a script that puts the family name first and is read whole (Han, Kana, Hangul) is kept whole.
4. A name that starts with an initial ("J. R. R. Tolkien") is kept whole: there is no given name to use.
5. Otherwise, the first given name: "Jean-Luc Picard" -> "Jean-Luc", "Анна Каренина" -> "Анна".

Suffixes such as "Jr." and "PhD" are dropped; a name typed all in lower case is capitalised.
"""

import re
import unicodedata

SURNAME = "surname"
GIVEN = "given"

# title as typed (lower case, without its full stop) -> what a writer keeps with it
TITLES = {
    **{title: SURNAME for title in (
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "reverend", "pastor", "rabbi",
        "imam", "judge", "captain", "capt", "major", "colonel", "general", "lord", "lady", "coach",
        "herr", "frau", "señor", "señora", "señorita", "sr", "sra", "srta", "monsieur", "madame", "mme", "doctor")},
    **{title: GIVEN for title in (
        "sir", "dame", "aunt", "auntie", "aunty", "uncle", "cousin", "grandma", "grandpa", "granny", "grandad",
        "granddad", "grandmother", "grandfather", "gran", "nana", "nan", "nanna", "nonna", "nonno", "oma", "opa",
        "abuela", "abuelo", "tía", "tío", "tia", "tio", "papa", "mama", "mum", "mom", "mummy", "mommy", "dad",
        "daddy", "pop", "father", "mother", "sister", "brother", "madam")},
}
# Small words that belong to the family name that follows them: "Dr. Ludwig van Beethoven" -> "Dr. van Beethoven".
PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la",
                       "le", "ter", "ten", "bin", "ibn", "al", "el", "st."})
LOWER_CASE_WORDS = PARTICLES | {"family"}  # left in lower case when a name typed in lower case is capitalised
# Words after the name that a greeting leaves out: "Martin Luther King Jr." -> "Martin".
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "obe", "mbe", "cbe", "kbe", "dbe"})
WHOLE_NAME_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
PEOPLE = re.compile(r"\s*(?:&|\+|,|\band\b)\s*", re.IGNORECASE)
INITIAL = re.compile(r"^\w\.?$|^(?:\w\.){2,}$")


def greeting_name(full_name):
    """Return what follows "Dear" for the name as typed: "Aunt May", "Dr. Lee", "Maya and Luis"."""
    name = " ".join(str(full_name or "").split()).strip(" ,;")
    if not name:
        return ""
    if name.islower():
        name = capitalised(name)
    people = [person for person in PEOPLE.split(name) if person and title_key(person) not in SUFFIXES]
    names = [person_name(person) for person in people] or [name]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def person_name(name):
    """Return how one person, or one family ("The Okafors"), is addressed; a title alone stays alone ("Mr")."""
    words = [word for word in name.split() if title_key(word) not in SUFFIXES]
    if not words:
        return name
    if words[0].casefold() == "the" and len(words) > 1:
        return " ".join(words[1:])
    titles = []
    while words and title_key(words[0]) in TITLES:
        titles.append(words.pop(0))
    if titles:
        kept = family_name(words) if TITLES[title_key(titles[-1])] == SURNAME else words[:1]
        return " ".join([*titles, *kept])
    if read_whole(name) or INITIAL.match(words[0]):
        return " ".join(words)
    return words[0]


def family_name(words):
    """Return the words of the family name that ends a name, particles and all: "Maria de la Cruz" -> "de la Cruz"."""
    start = len(words) - 1
    while start > 0 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return words[start:]


def title_key(word):
    """Return a word as TITLES and SUFFIXES look it up: "Dr." -> "dr", "Ph.D." -> "phd"."""
    return word.casefold().replace(".", "").strip(",")


def read_whole(name):
    """Return whether the name is written in a script whose names are used whole (Chinese, Japanese, Korean)."""
    letters = [char for char in name if char.isalpha()]
    return bool(letters) and all(unicodedata.name(char, "").startswith(WHOLE_NAME_SCRIPTS) for char in letters)


def capitalised(name):
    """Return a name typed in lower case as it is written: "jean-luc de la cruz" -> "Jean-Luc de la Cruz"."""
    words = name.split()
    return " ".join(word if index and word in LOWER_CASE_WORDS else
                    "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
                    for index, word in enumerate(words))
