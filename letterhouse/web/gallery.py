"""The gallery's shelves: templates grouped by occasion under a heading, and found by a search."""

from dataclasses import dataclass

# Headings for the occasions the bundled templates use, in the order the shelves are shown;
# any other occasion gets a heading made from its own name, after these.
OCCASION_HEADINGS = {
    "love": "Love",
    "anniversary": "Anniversaries",
    "birthday": "Birthdays",
    "thanks": "Thank you",
    "reference": "References",
    "congratulations": "Congratulations",
    "farewell": "Farewells",
    "get-well": "Get well",
    "condolence": "Sympathy",
    "apology": "Apologies",
    "reconnection": "Old friends",
    "long-distance": "Far apart",
    "holiday": "Holidays",
    "future": "To open later",
    "own-words": "In your own words",
}


@dataclass(frozen=True)
class Shelf:
    """The templates for one occasion, under a heading."""

    occasion: str
    heading: str
    templates: tuple


def occasion_heading(occasion):
    """Return the heading a shelf of this occasion is shown under."""
    return OCCASION_HEADINGS.get(occasion) or occasion.replace("-", " ").capitalize()


def search_text(template):
    """Return the words a search looks through for one template: what it is called, what it is for, its keywords."""
    return " ".join([template.title, template.description, template.occasion,
                     occasion_heading(template.occasion), template.slug, *template.keywords]).casefold()


def matches(template, query):
    """Return whether every word of a search appears in the template's title, description, occasion or keywords."""
    text = search_text(template)
    return all(word in text for word in query.casefold().split())


def shelves(templates):
    """Return the templates grouped by occasion, in the gallery's order."""
    known = list(OCCASION_HEADINGS)
    found = {}
    for template in templates:
        found.setdefault(template.occasion, []).append(template)
    order = sorted(found, key=lambda o: (known.index(o) if o in known else len(known), o))
    return [Shelf(o, occasion_heading(o), tuple(found[o])) for o in order]
