"""Where a letter PDF came from: the metadata written into it, and the reader that gets it back.

With the letter's data, the template file named by slug and SHA-256, and the seed, any letter
can be written again to the byte.
"""

from dataclasses import dataclass

# <meta name> in the letter's HTML -> key in the PDF's Info dictionary (WeasyPrint keeps
# only letters and digits of a name, lower-cased).
TEMPLATE, TEMPLATE_SHA256, SEED = "letterhouse-template", "letterhouse-template-sha256", "letterhouse-seed"


@dataclass(frozen=True)
class Provenance:
    title: str
    author: str  # the sender
    template: str  # the template's slug
    template_sha256: str  # LetterTemplate.digest: which version of the file wrote it
    seed: int


def provenance_meta(letter):
    """Return the (name, content) pairs of <meta> elements that record where a letter came from."""
    return [(TEMPLATE, letter.template.slug), (TEMPLATE_SHA256, letter.template.digest), (SEED, str(letter.seed))]


def info_key(meta_name):
    return "".join(char for char in meta_name if char.isalnum())


def read_provenance(pdf):
    """Return the Provenance recorded in a Letterhouse PDF, or None if it has none."""
    # Here, not above: every letter's HTML names its provenance, but only a reader of PDFs needs pdfium.
    import pypdfium2  # noqa: PLC0415

    from letterhouse.render.raster import PDFIUM_LOCK  # noqa: PLC0415

    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            read = {key: document.get_metadata_value(key)
                    for key in ("Title", "Author", *(info_key(name) for name in (TEMPLATE, TEMPLATE_SHA256, SEED)))}
        finally:
            document.close()
    seed = read[info_key(SEED)]
    if not read[info_key(TEMPLATE)] or not seed.isdigit():
        return None
    return Provenance(read["Title"], read["Author"], read[info_key(TEMPLATE)], read[info_key(TEMPLATE_SHA256)],
                      int(seed))
