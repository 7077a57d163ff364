"""Every style a letter may choose (hands, inks, papers, page sizes, realism, envelopes): plain registries.

A style is one entry here; render/ reads these registries and adds the fonts, metrics and CSS.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Hand:
    label: str
    family: str  # the font's own family name, which the PDF then names too
    font_file: str  # under static/fonts/
    size_pt: float  # body size at which this hand reads like a pen on paper
    line_mm: float  # line pitch; ruled paper's rules follow it
    # Letters join their neighbours: the baked variants turn and shift less (tools/bake_hands.py),
    # and a signature in this hand is not spaced out, which would break the joins.
    joined: bool = False


@dataclass(frozen=True)
class Ink:
    label: str
    color: str


@dataclass(frozen=True)
class Paper:
    label: str
    background: str  # CSS background layers: a colour, and optionally images under static/paper/
    ruled: bool = False
    letterhead: bool = False  # the sender's monogram printed at the head of the first page
    textured: bool = False  # its image is a texture: each letter's sheet is cut from it at its own place


@dataclass(frozen=True)
class PageSize:
    label: str
    css_size: str


@dataclass(frozen=True)
class Realism:
    label: str
    varied_letters: bool  # each repeated letter in another shape (the baked font's calt)
    slope_deg: float  # a paragraph's lines tilt up to this either way
    drift_mm: float  # a paragraph's left edge moves up to this either way
    size: float  # a paragraph's size, up to this share either way
    pressure: tuple  # ink alpha, least and most: how hard the pen presses
    tiring: float = 0.0  # a tiring hand: each paragraph adds this share of the above, and drifts right
    signature_looseness: float = 1.0  # how loosely the signature is flung


@dataclass(frozen=True)
class Envelope:
    label: str
    width_mm: float
    height_mm: float
    # Where the delivery address starts from the left, and how far above the bottom edge it
    # ends: post offices read the lower right area and keep the bottom strip for barcodes.
    address_left_mm: float
    address_bottom_mm: float


# Sizes and pitches are set by eye so every hand reads at about the same size on the page
# (an x-height near 2.5 mm); a hand with tall loops gets more room between its lines.
HANDS = {
    "caveat": Hand("Caveat: quick and friendly", "Caveat", "caveat/caveat-regular.ttf", 19, 9),
    "patrick-hand": Hand("Patrick Hand: neat, upright print", "Patrick Hand",
                         "patrick-hand/patrick-hand-regular.ttf", 16, 9),
    "kalam": Hand("Kalam: careful print", "Kalam", "kalam/kalam-regular.ttf", 15, 9),
    "indie-flower": Hand("Indie Flower: round and casual", "Indie Flower",
                         "indie-flower/indie-flower-regular.ttf", 16, 9),
    "reenie-beanie": Hand("Reenie Beanie: a child's big letters", "Reenie Beanie",
                          "reenie-beanie/reenie-beanie-regular.ttf", 22, 10),
    "homemade-apple": Hand("Homemade Apple: loose cursive", "Homemade Apple",
                           "homemade-apple/homemade-apple-regular.ttf", 13.5, 10, joined=True),
    "nothing-you-could-do": Hand("Nothing You Could Do: slanted pencil cursive", "Nothing You Could Do",
                                 "nothing-you-could-do/nothing-you-could-do-regular.ttf", 15, 9.5, joined=True),
    "dancing-script": Hand("Dancing Script: flowing script", "Dancing Script",
                           "dancing-script/dancing-script-regular.ttf", 18, 9, joined=True),
    "marck-script": Hand("Marck Script: fountain-pen cursive", "Marck Script",
                         "marck-script/marck-script-regular.ttf", 18.5, 9, joined=True),
    "great-vibes": Hand("Great Vibes: formal copperplate", "Great Vibes",
                        "great-vibes/great-vibes-regular.ttf", 21, 10, joined=True),
}
JOINED_HANDS = frozenset(key for key, hand in HANDS.items() if hand.joined)
SAME_HAND = "same"  # the signature_hand value that signs in the letter's own hand

INKS = {
    "midnight": Ink("Midnight blue", "rgb(27 39 94)"),
    "royal-blue": Ink("Royal blue", "rgb(34 64 150)"),
    "black": Ink("Black", "rgb(28 26 30)"),
    "sepia": Ink("Sepia", "rgb(94 58 30)"),
    "green-black": Ink("Green-black", "rgb(30 58 44)"),
    "burgundy": Ink("Burgundy", "rgb(108 26 42)"),
    "violet": Ink("Violet", "rgb(76 40 118)"),
}

# Textures are small files in static/paper/ (see its README); a page's background is
# positioned from its content box, so whole-sheet layers are `fixed` to the sheet.
PAPERS = {
    "white": Paper("White", "rgb(255 255 253)"),
    "cream": Paper("Cream laid", "url(paper/laid.jpg) 0 0 / 220mm 300mm no-repeat fixed, rgb(247 240 220)",
                   textured=True),
    "ruled": Paper("Ruled", "rgb(253 252 246)", ruled=True),
    "aged": Paper("Aged", "url(paper/aged.jpg) 0 0 / 100% 100% no-repeat fixed, rgb(232 216 182)",
                  textured=True),
    "letterhead": Paper("Letterhead with your monogram", "rgb(252 250 244)", letterhead=True),
}

PAGE_SIZES = {
    "A4": PageSize("A4", "A4"),
    "Letter": PageSize("US Letter", "letter"),
    "A5": PageSize("A5", "A5"),
}

REALISM = {
    "neat": Realism("Neat: careful and even", False, 0.0, 0.3, 0.0, (0.96, 1.0), signature_looseness=0.3),
    "natural": Realism("Natural", True, 0.5, 1.2, 0.015, (0.82, 0.96)),
    "hurried": Realism("Hurried: quick, and tiring as it goes", True, 0.9, 1.8, 0.022, (0.76, 0.94),
                       tiring=0.12, signature_looseness=1.5),
}
DEFAULT_REALISM = "natural"

NO_ENVELOPE = "none"
ENVELOPES = {
    "DL": Envelope("DL (220 × 110 mm)", 220, 110, 95, 18),
    "C5": Envelope("C5 (229 × 162 mm)", 229, 162, 100, 30),
    "US10": Envelope("US #10 (9½ × 4⅛ in)", 241.3, 104.775, 100, 18),
}


def registry_choices(registry):
    """Return a registry as (key, label) choices, in its order."""
    return tuple((key, entry.label) for key, entry in registry.items())


ENVELOPE_CHOICES = ((NO_ENVELOPE, "No envelope"), *registry_choices(ENVELOPES))

