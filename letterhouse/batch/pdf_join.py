"""Letters joined into one PDF as they come: each letter's objects written out at once, so memory stays flat.

pypdf's PdfWriter keeps every page it is given until the end (about 0.3 MB a letter). Here each
letter is read, its pages and everything they use renumbered and written straight to the file;
only the page numbers and each letter's bookmark are kept until the page tree, the outline, the
cross-reference table and the trailer are written at the end.
"""

import io
from array import array

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

CATALOG, PAGES, OUTLINES = 1, 2, 3  # object numbers written last, kept from the start
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # what a page may take from its parents


class StreamingPdfJoin:
    """One PDF of many letters, each starting on a new sheet (padded to even pages for duplex)."""

    def __init__(self, path, duplex=False):
        self.file = open(path, "wb")  # closed by close(), like the other output writers
        self.duplex = duplex
        # What is kept per letter, compactly: where each object starts, the page numbers, a bookmark.
        self.offsets = array("Q", [0] * (OUTLINES + 1))  # object number -> where it starts in the file
        self.kids = array("Q")  # our pages' object numbers, in order
        self.bookmarks = []  # (title, first page's object number)
        self.attachments = []  # (name, its file specification's object number): manifest.csv
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add(self, rendered):
        """Write one letter's pages; return the page where it starts."""
        reader = PdfReader(io.BytesIO(rendered.pdf))
        numbers = {}  # the letter's (number, generation) -> ours
        pending = []

        def ours(reference):
            key = (reference.idnum, reference.generation)
            if key not in numbers:
                numbers[key] = self.allocate()
                pending.append(reference)
            return IndirectObject(numbers[key], 0, None)

        first = len(self.kids)
        for page in reader.pages:
            self.kids.append(ours(page.indirect_reference).idnum)
        while pending:
            reference = pending.pop()
            source = reader.get_object(reference)
            if source.get("/Type") == "/Page":
                source = standalone_page(source)
            self.write(numbers[(reference.idnum, reference.generation)], renumbered(source, ours))
        self.bookmarks.append((rendered.filename[:-4], self.kids[first]))
        if self.duplex and len(reader.pages) % 2:
            self.add_blank_page(reader.pages[-1].mediabox)
        return first + 1

    def add_manifest(self, name, data):
        """Attach a file to the PDF (a PDF reader lists it under attachments); written at once, named at the end."""
        stream = StreamObject()
        stream._data = data
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        stream_number = self.allocate()
        self.write(stream_number, stream)
        spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name),
                                 NameObject("/UF"): TextStringObject(name),
                                 NameObject("/EF"): DictionaryObject({NameObject("/F"): ref(stream_number)})})
        spec_number = self.allocate()
        self.write(spec_number, spec)
        self.attachments.append((name, spec_number))

    def add_blank_page(self, mediabox):
        page = DictionaryObject({NameObject("/Type"): NameObject("/Page"), NameObject("/Parent"): ref(PAGES),
                                 NameObject("/MediaBox"): ArrayObject(NumberObject(round(float(v))) for v in mediabox),
                                 NameObject("/Resources"): DictionaryObject()})
        number = self.allocate()
        self.kids.append(number)
        self.write(number, page)

    def allocate(self):
        self.offsets.append(0)
        return len(self.offsets) - 1

    def write(self, number, obj):
        self.offsets[number] = self.file.tell()
        self.file.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.file)
        self.file.write(b"\nendobj\n")

    def close(self):
        """Write the page tree, the bookmarks, the catalog, the cross-reference table and the trailer."""
        self.write(PAGES, DictionaryObject({NameObject("/Type"): NameObject("/Pages"),
                                            NameObject("/Kids"): ArrayObject(ref(n) for n in self.kids),
                                            NameObject("/Count"): NumberObject(len(self.kids))}))
        self.write_outline()
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): ref(PAGES),
                                    NameObject("/Outlines"): ref(OUTLINES)})
        if self.attachments:
            names = ArrayObject()
            for name, number in sorted(self.attachments):
                names += [TextStringObject(name), ref(number)]
            catalog[NameObject("/Names")] = DictionaryObject(
                {NameObject("/EmbeddedFiles"): DictionaryObject({NameObject("/Names"): names})})
        self.write(CATALOG, catalog)
        start = self.file.tell()
        size = len(self.offsets)
        self.file.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            self.file.write(f"{self.offsets[number]:010d} 00000 n \n".encode())
        self.file.write(f"trailer\n<< /Size {size} /Root {CATALOG} 0 R >>\nstartxref\n{start}\n%%EOF\n".encode())
        self.file.close()

    def write_outline(self):
        """Write one bookmark per letter, at its first page, and the outline holding them."""
        numbers = [self.allocate() for _ in self.bookmarks]
        for index, ((title, page), number) in enumerate(zip(self.bookmarks, numbers)):
            item = {"/Title": TextStringObject(title), "/Parent": ref(OUTLINES),
                    "/Dest": ArrayObject([ref(page), NameObject("/Fit")])}
            if index:
                item["/Prev"] = ref(numbers[index - 1])
            if index + 1 < len(numbers):
                item["/Next"] = ref(numbers[index + 1])
            self.write(number, DictionaryObject({NameObject(k): v for k, v in item.items()}))
        outline = {"/Type": NameObject("/Outlines"), "/Count": NumberObject(len(numbers))}
        if numbers:
            outline.update({"/First": ref(numbers[0]), "/Last": ref(numbers[-1])})
        self.write(OUTLINES, DictionaryObject({NameObject(k): v for k, v in outline.items()}))


def ref(number):
    return IndirectObject(number, 0, None)


def standalone_page(page):
    """Return a page's dictionary with what it inherits from its page tree on itself, and our page tree as parent."""
    own = DictionaryObject(page)
    for key in INHERITED:
        if key not in own:
            parent = page.get("/Parent")
            while parent is not None and key not in parent.get_object():
                parent = parent.get_object().get("/Parent")
            if parent is not None:
                own[NameObject(key)] = parent.get_object()[key]
    own[NameObject("/Parent")] = ref(PAGES)
    return own


def renumbered(obj, ours):
    """Return a copy of a PDF object whose references point at our object numbers (ours maps each one)."""
    if isinstance(obj, IndirectObject):
        return ours(obj) if obj.pdf is not None else obj
    if isinstance(obj, StreamObject):
        copy = StreamObject()
        copy._data = obj._data  # the stream as it is in the letter, still compressed (its /Filter comes along)
        copy.update({key: renumbered(value, ours) for key, value in obj.items() if key != "/Length"})
        return copy
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({key: renumbered(value, ours) for key, value in obj.items()})
    if isinstance(obj, ArrayObject):
        return ArrayObject(renumbered(value, ours) for value in obj)
    return obj
