#!/usr/bin/env python3
"""Build the handwriting fonts shipped in static/fonts/ (developer tool).

This is a build-time tool only: the application never runs it and never
downloads anything at run time.  The generated TTF files are committed.

For every face listed in FACES it

1. obtains the pinned Fontsource npm tarball (``npm pack @fontsource/NAME@VER``)
   into a cache directory (unless the tarball is already there) and checks its
   SHA-256 against the pinned value;
2. reads ``files/NAME-SUBSET-WEIGHT-normal.woff`` (falling back to ``.woff2``)
   for every subset the package ships: the named ones (latin, latin-ext,
   cyrillic, greek, vietnamese, devanagari, arabic, japanese, ...) and, for
   CJK families, the numbered unicode-range chunks ``NAME-N-WEIGHT-normal``;
3. prepares each subset with ``fontTools.subset``: hinting removed, and every
   subset after the first keeps only the codepoints not already provided by an
   earlier one (plus whatever its GSUB/GPOS need), so duplicated glyphs are
   dropped and no codepoint maps to two glyphs;
4. merges the prepared subsets into ONE TrueType file per face and weight with
   ``fontTools.merge.Merger`` (WeasyPrint embeds only one file per family, so
   unicode-range splitting does not work there);
5. verifies the result: every codepoint of every subset is in the merged cmap
   and draws exactly the same outline/advance as in its source subset, and the
   probe letters (ż ř ą ł é ß ñ ж ...) have non-empty outlines where the
   family has them;
6. writes ``static/fonts/<slug>/<slug>-regular.ttf`` (``-bold.ttf`` for 700),
   the licence text (``OFL.txt`` or ``LICENSE.txt``) and ``font.json``.

Usage (from the repository root, with the project venv)::

    .venv/bin/python tools/build_fonts.py                 # all faces
    .venv/bin/python tools/build_fonts.py caveat kalam    # some faces
    .venv/bin/python tools/build_fonts.py --verify-only   # re-check output
    .venv/bin/python tools/build_fonts.py --cache /tmp/fontsrc --offline

Needs fontTools and brotli (for .woff2) and, unless the tarballs are already
in the cache, ``npm`` with access to the npm registry.  Output is
deterministic for given tarballs (timestamps are taken from the sources).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

from fontTools import subset as ftsubset
from fontTools.merge import Merger
from fontTools.merge import Options as MergeOptions
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from letterhouse.render.hands import font_metrics

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "static" / "fonts"
DEFAULT_CACHE = Path(os.environ.get("FONTSRC_CACHE", "/tmp/fontsrc"))

log = logging.getLogger("build_fonts")

# Named subsets come first in this order; numbered CJK chunks come last.
SUBSET_ORDER = [
    "latin", "latin-ext", "vietnamese", "cyrillic", "cyrillic-ext",
    "greek", "greek-ext", "devanagari", "arabic",
    "chinese-simplified", "japanese", "korean",
]
WEIGHT_SUFFIX = {300: "light", 400: "regular", 500: "medium", 600: "semibold", 700: "bold"}

# Letters whose outlines must be non-empty in the merged file whenever the
# family maps them at all.  Absent ones are reported (font.json "missing").
PROBES = {
    "latin": "AaÆæßñéèüöçøÅ",
    "latin-ext": "żŻřŘąĄłŁęĘőűşğčšžć",
    "vietnamese": "ươạễỹĐđ",
    "cyrillic": "жЖщыёЯ",
    "greek": "αβγδλωΩάή",
    "devanagari": "कखगक्षह",
    "arabic": "ابةكلم",
    "chinese-simplified": "我们写信你好",
    "japanese": "あいうアイウ漢字",
    "korean": "한글편지",
}


@dataclasses.dataclass
class Face:
    slug: str                 # output folder and file stem
    package: str              # @fontsource/<package>
    version: str              # pinned npm version
    sha256: str               # sha256 of the npm tarball
    family: str               # display name
    character: str            # one short phrase
    weights: tuple = (400,)
    subsets: tuple | None = None   # None: every subset the package ships
    tier: str = "core"        # core | extra | fallback
    notes: str = ""


FACES = [
    # --- A: core hands --------------------------------------------------
    Face("caveat", "caveat", "5.3.0",
         "ebf746fc0667b9d10fcac7c8604e2ba40a264da85a1c9b48bd679c0af3221293",
         "Caveat", "quick everyday felt-tip print", weights=(400, 700)),
    Face("homemade-apple", "homemade-apple", "5.3.0",
         "0ad668da20f63bd47bb32c86e160a7cae8ef0f2e1844c405bc40e278c86b91d0",
         "Homemade Apple", "loose, loopy ballpoint cursive",
         notes="Western European Latin (plus Ł ł) only: no ż ř ą ę ő ş č ... (Central European)."),
    Face("kalam", "kalam", "5.3.0",
         "0aaf22523f3c57ae19f32c4f4df0d43d6efd01b7563a19cf4ed818cd5601426d",
         "Kalam", "informal ballpoint print (Latin and Devanagari)"),
    Face("dancing-script", "dancing-script", "5.3.0",
         "e392efa74afec672f1c97f8699a16bb8439c8aca1a367ddb5cd035f11e70e31a",
         "Dancing Script", "bouncy brush-pen script"),
    # --- B: more hands --------------------------------------------------
    Face("patrick-hand", "patrick-hand", "5.3.0",
         "c3428d02610c7b8fa92b044cf766f8c30b88bb32a47460b4ac42fa14e0bcdcc0",
         "Patrick Hand", "neat, upright marker print", tier="extra"),
    Face("indie-flower", "indie-flower", "5.3.0",
         "be380503f1e2c5ef08b8399a28f8cb2f1725527db2cb6aacec3037c2bd1b9083",
         "Indie Flower", "casual, round felt-tip print", tier="extra"),
    Face("nothing-you-could-do", "nothing-you-could-do", "5.3.0",
         "dac48ef024df5e754bf8586157d73d0dba139d6353f28b9ec6de77b0dadf0add",
         "Nothing You Could Do", "hurried, slanted pencil cursive", tier="extra",
         notes="Western European Latin only: no Central European letters (ż ř ą ł ő ...)."),
    Face("great-vibes", "great-vibes", "5.3.0",
         "0bfdc957fa42a6d17288fce79a9299dab14742b77bdbb223c4385739d4035ca9",
         "Great Vibes", "formal copperplate-style script", tier="extra",
         notes="The package's greek-ext subset holds no Greek letters; no Greek."),
    Face("reenie-beanie", "reenie-beanie", "5.3.0",
         "8a2406f9b3c0b76199dcd87288ea40480fcd8547ba1af2f9f3156205f1688be9",
         "Reenie Beanie", "scrawly, child-like ballpoint", tier="extra",
         notes="Western European Latin only: no Central European letters (ż ř ą ł ő ...)."),
    Face("marck-script", "marck-script", "5.3.0",
         "c4e6f14fd3736ec94a872db215192ea7dea04f1315df1385b451c153510575da",
         "Marck Script", "fountain-pen cursive (Latin and Cyrillic)", tier="extra"),
    # --- C: script fallbacks that still look hand-written ----------------
    Face("mansalva", "mansalva", "5.3.0",
         "ed850c14e8a1729761348b17e15f9ec7dc5693594d3d4a60456489ce301d883d",
         "Mansalva", "brushy hand-lettered marker (Latin and Greek)", tier="fallback"),
    Face("aref-ruqaa", "aref-ruqaa", "5.3.0",
         "64ca21ff2c7e4e2c9fb56fd402a3403709d81faa69a8ea57fdb58729ad13fd29",
         "Aref Ruqaa", "Ruqʿah, the everyday Arabic hand", tier="fallback",
         notes="Arabic fallback. Its Latin is a plain serif (Western European only)."),
    Face("ma-shan-zheng", "ma-shan-zheng", "5.3.1",
         "f441a8e137c210da78e8a287616227b11771ff8bbc4a6e506a0f5f84790ca272",
         "Ma Shan Zheng", "Chinese brush-pen running hand (Simplified)", tier="fallback",
         notes="Simplified Chinese fallback; Traditional-only characters are largely "
               "missing. Latin is ASCII only (no accented letters)."),
    Face("yomogi", "yomogi", "5.3.0",
         "db1cc83484c6552df59b9c22f2f4725ceaad79875d90f42dcc9268a5c35d5080",
         "Yomogi", "soft, casual Japanese pencil hand", tier="fallback",
         notes="Japanese fallback. Its Cyrillic is full-width (CJK style): prefer "
               "Caveat or Marck Script for Cyrillic."),
    Face("nanum-pen-script", "nanum-pen-script", "5.3.0",
         "91c7118b1d68e8ab576addbae76351857cf5c3656b7ee496c51fe16f01258a44",
         "Nanum Pen Script", "quick Korean felt-pen hand", tier="fallback",
         notes="Korean fallback. Latin is ASCII only (no accented letters)."),
]


# --------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------

def tarball_path(face: Face, cache: Path) -> Path:
    return cache / f"fontsource-{face.package}-{face.version}.tgz"


def fetch(face: Face, cache: Path, offline: bool) -> Path:
    """Return the checked tarball, running ``npm pack`` if it is missing."""
    cache.mkdir(parents=True, exist_ok=True)
    tgz = tarball_path(face, cache)
    if not tgz.exists():
        if offline:
            raise SystemExit(f"{tgz} missing and --offline given")
        spec = f"@fontsource/{face.package}@{face.version}"
        log.info("npm pack %s", spec)
        subprocess.run(["npm", "pack", spec, "--pack-destination", str(cache)],
                       check=True, stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != face.sha256:
        raise SystemExit(f"{tgz}: sha256 {digest} != pinned {face.sha256}")
    return tgz


class Package:
    """Read-only view of a Fontsource tarball."""

    def __init__(self, tgz: Path):
        self.tar = tarfile.open(tgz, "r:gz")
        self.names = {m.name: m for m in self.tar.getmembers() if m.isfile()}
        self.metadata = json.loads(self.read("package/metadata.json"))
        self.unicode = json.loads(self.read("package/unicode.json"))
        self.package_json = json.loads(self.read("package/package.json"))

    def read(self, name: str) -> bytes:
        return self.tar.extractfile(self.names[name]).read()

    def subset_files(self, font_id: str, weight: int, only=None):
        """[(subset, member name)] in merge order for one weight."""
        pat = re.compile(rf"package/files/{re.escape(font_id)}-(.+)-{weight}-normal\.(woff2?)$")
        found = {}
        for name in self.names:
            m = pat.match(name)
            if m:
                sub, ext = m.groups()
                if ext == "woff" or sub not in found:   # prefer lossless .woff
                    found[sub] = name
        if only is not None:
            found = {k: v for k, v in found.items() if k in only}

        def key(sub):
            if sub.isdigit():
                return (1, int(sub), sub)
            return (0, SUBSET_ORDER.index(sub) if sub in SUBSET_ORDER else 99, sub)
        return [(sub, found[sub]) for sub in sorted(found, key=key)]

    def load(self, name: str) -> TTFont:
        font = TTFont(io.BytesIO(self.read(name)), recalcTimestamp=False)
        font.flavor = None
        return font


# --------------------------------------------------------------------------
# merge
# --------------------------------------------------------------------------

def normalise_bounds(font: TTFont) -> None:
    """Recompute glyph bounding boxes, keeping every glyph where it renders.

    Some upstream subsets carry stale glyph bboxes (header xMin != real xMin).
    Renderers place a TrueType glyph at ``lsb - header xMin``; saving with
    fontTools recomputes the bbox and would shift such glyphs by a unit.  We
    recompute the bbox and move lsb (and tsb) by the same amount instead.
    """
    glyf, hmtx = font["glyf"], font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    # Record all old boxes first: recomputing a composite's box also
    # recomputes the boxes of its components.
    old = {name: (glyf[name].xMin, glyf[name].yMax) for name in font.getGlyphOrder()
           if glyf[name].numberOfContours != 0}
    for name, (old_xmin, old_ymax) in old.items():
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        adv, lsb = hmtx[name]
        hmtx[name] = (adv, lsb + glyph.xMin - old_xmin)
        if vmtx is not None and name in vmtx.metrics:
            vadv, tsb = vmtx[name]
            vmtx[name] = (vadv, tsb + old_ymax - glyph.yMax)


def prepare(font: TTFont, unicodes) -> TTFont:
    """Keep only `unicodes` (+ layout closure), strip hinting; in place."""
    normalise_bounds(font)
    opts = ftsubset.Options()
    opts.layout_features = ["*"]
    opts.layout_scripts = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.glyph_names = True
    opts.legacy_kern = True
    opts.notdef_glyph = True
    opts.notdef_outline = True
    opts.recommended_glyphs = True
    opts.hinting = False
    opts.prune_unicode_ranges = False
    opts.prune_codepage_ranges = False
    opts.recalc_timestamp = False
    opts.drop_tables = [t for t in opts.drop_tables] + ["STAT"]
    sub = ftsubset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    return font


def merge_face(pkg: Package, face: Face, weight: int, workdir: Path):
    font_id = pkg.metadata["id"]
    files = pkg.subset_files(font_id, weight, face.subsets)
    if not files:
        raise SystemExit(f"{face.slug}: no files for weight {weight}")
    covered = set()
    prepared, sources = [], []
    for sub, member in files:
        font = pkg.load(member)
        cmap = font.getBestCmap()
        sources.append((sub, member, font))
        new = sorted(set(cmap) - covered)
        if not new:
            log.info("  %-20s adds nothing, skipped", sub)
            continue
        covered.update(new)
        font = pkg.load(member)          # fresh copy to subset
        prepare(font, new)
        path = workdir / f"{len(prepared):03d}-{sub}.ttf"
        font.save(path)
        prepared.append(path)
        log.debug("  %-20s +%d codepoints", sub, len(new))

    base = sources[0][2]
    if len(prepared) == 1:
        merged = TTFont(prepared[0], recalcTimestamp=False)
    else:
        merger = Merger(options=MergeOptions(drop_tables=[]))
        merged = merger.merge([str(p) for p in prepared])
    merged.recalcTimestamp = False
    merged["head"].created = base["head"].created
    merged["head"].modified = base["head"].modified
    merged["head"].fontRevision = base["head"].fontRevision
    merged["head"].flags = base["head"].flags
    os2 = merged["OS/2"]
    os2.recalcUnicodeRanges(merged)
    if hasattr(os2, "recalcCodePageRanges"):
        os2.recalcCodePageRanges(merged)
    if len(merged.getGlyphOrder()) > 3000:
        # Glyph names of CJK fonts are worthless and cost hundreds of kB.
        merged["post"].formatType = 3.0
        if hasattr(merged["post"], "extraNames"):
            merged["post"].extraNames = []
            merged["post"].mapping = {}
    for table in ("STAT",):
        if table in merged:
            del merged[table]
    # Vertical metrics must be those of the base (latin) subset so that line
    # height does not change with the merge.
    for tag, attrs in (("hhea", ("ascent", "descent", "lineGap")),
                       ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap",
                                 "usWinAscent", "usWinDescent"))):
        for attr in attrs:
            setattr(merged[tag], attr, getattr(base[tag], attr))
    return merged, sources


# --------------------------------------------------------------------------
# verification
# --------------------------------------------------------------------------

def _drawing(glyphset, name):
    pen = DecomposingRecordingPen(glyphset)
    glyphset[name].draw(pen)
    return pen.value, glyphset[name].width


def verify(path: Path, sources) -> dict:
    """Compare merged file against its sources; return coverage facts."""
    merged = TTFont(path)
    mcmap = merged.getBestCmap()
    mglyphs = merged.getGlyphSet()
    problems = []
    seen = set()
    for sub, _member, src in sources:
        scmap = src.getBestCmap()
        sglyphs = src.getGlyphSet()
        for cp, gname in scmap.items():
            if cp not in mcmap:
                problems.append(f"U+{cp:04X} ({sub}) missing from merged cmap")
                continue
            if cp in seen:
                continue          # provided by an earlier subset
            seen.add(cp)
            if _drawing(sglyphs, gname) != _drawing(mglyphs, mcmap[cp]):
                problems.append(f"U+{cp:04X} ({sub}) outline/advance differs")
    _missing, empty = [], []
    for _script, chars in PROBES.items():
        for ch in chars:
            cp = ord(ch)
            if cp not in mcmap:
                continue
            value, _ = _drawing(mglyphs, mcmap[cp])
            if not value:
                empty.append(ch)
    if empty:
        problems.append("empty outlines for: " + " ".join(empty))
    return {"cmap": mcmap, "problems": problems}


def ranges(spec: str):
    out = []
    for part in spec.split(","):
        part = part.strip().upper().replace("U+", "")
        if "-" in part:
            a, b = part.split("-")
            out.append((int(a, 16), int(b, 16)))
        else:
            out.append((int(part, 16), int(part, 16)))
    return out


def scripts_covered(pkg: Package, cmap) -> list:
    """The scripts the merged file really covers.

    "latin" means ASCII plus all Latin-1 letters (else "latin-basic": ASCII
    only); "latin-ext" means all the Central/South-East European probe letters
    (ż ř ą ł ő ş ğ č ...).  Other named subsets count when they contribute at
    least 10 letters in their unicode range; the CJK subsets (split into
    numbered chunks) when their probe characters are present.
    """
    result = []
    latin1 = [cp for cp in range(0xC0, 0x100) if cp not in (0xD7, 0xF7)]
    if all(cp in cmap for cp in latin1) and all(ord(c) in cmap for c in PROBES["latin"]):
        result.append("latin")
    elif all(cp in cmap for cp in range(0x41, 0x5B)) and all(cp in cmap for cp in range(0x61, 0x7B)):
        result.append("latin-basic")
    if all(ord(c) in cmap for c in PROBES["latin-ext"]):
        result.append("latin-ext")
    for sub in sorted(pkg.metadata["subsets"],
                      key=lambda s: SUBSET_ORDER.index(s) if s in SUBSET_ORDER else 99):
        if sub in ("latin", "latin-ext"):
            continue
        if sub in PROBES and sub in ("chinese-simplified", "japanese", "korean"):
            if all(ord(c) in cmap for c in PROBES[sub]):
                result.append(sub)
            continue
        spec = pkg.unicode.get(sub)
        if spec is None:
            continue
        rs = ranges(spec)
        letters = sum(1 for cp in cmap
                      if any(a <= cp <= b for a, b in rs)
                      and unicodedata.category(chr(cp)).startswith("L"))
        if letters >= 10:
            result.append(sub)
    return result


def missing_probes(cmap) -> str:
    """Probe letters a European reader would miss (Latin always; Cyrillic and
    Greek only where the face covers those scripts partly)."""
    out = []
    for script in ("latin", "latin-ext", "cyrillic", "greek"):
        miss = [ch for ch in PROBES[script] if ord(ch) not in cmap]
        if script in ("latin", "latin-ext") or len(miss) < len(PROBES[script]):
            out.extend(miss)
    return "".join(out)


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

def licence_text(pkg: Package, face: Face) -> tuple[str, str]:
    text = pkg.read("package/LICENSE").decode("utf-8")
    lic = pkg.metadata["license"]
    note = ("The font file in this folder was built from the web-font subsets of the\n"
            f"npm package @fontsource/{face.package}@{face.version} by tools/build_fonts.py:\n"
            "the subsets were converted to TrueType and merged into one file, and\n"
            "hinting instructions were removed.  No outlines were changed.\n")
    if lic["type"].upper().startswith("OFL"):
        if "SIL OPEN FONT LICENSE Version 1.1" not in text:
            raise SystemExit(f"{face.slug}: LICENSE lacks the OFL text")
        return "OFL.txt", text.rstrip() + "\n\n-----------------------------------------------------------\n" + note
    if lic["type"].startswith("Apache"):
        if "Apache License" not in text or "TERMS AND CONDITIONS" not in text:
            raise SystemExit(f"{face.slug}: LICENSE lacks the Apache text")
        head = (f"{face.family}\n{lic['attribution']}\n"
                "Licensed under the Apache License, Version 2.0 (full text below).\n\n"
                + note + "\n")
        return "LICENSE.txt", head + text
    raise SystemExit(f"{face.slug}: unhandled licence {lic['type']}")


def build(face: Face, cache: Path, offline: bool) -> dict:
    pkg = Package(fetch(face, cache, offline))
    outdir = OUT_DIR / face.slug
    outdir.mkdir(parents=True, exist_ok=True)
    files = {}
    facts = None
    for weight in face.weights:
        with tempfile.TemporaryDirectory() as tmp:
            merged, sources = merge_face(pkg, face, weight, Path(tmp))
            fname = f"{face.slug}-{WEIGHT_SUFFIX[weight]}.ttf"
            path = outdir / fname
            merged.save(path)
            check = verify(path, sources)
        if check["problems"]:
            for p in check["problems"][:20]:
                log.error("%s: %s", fname, p)
            raise SystemExit(f"{fname}: verification failed")
        files[str(weight)] = fname
        if weight == 400 or facts is None:
            facts = check
        log.info("%-28s %9d bytes  %5d codepoints  %5d glyphs", fname, path.stat().st_size,
                 len(check["cmap"]), len(TTFont(path).getGlyphOrder()))
    lic_name, lic_text = licence_text(pkg, face)
    (outdir / lic_name).write_text(lic_text, encoding="utf-8")
    info = {
        "family": face.family,
        "file": files["400"],
        "licence": lic_name,
        "source": f"npm @fontsource/{face.package}@{face.version}",
        "scripts": scripts_covered(pkg, facts["cmap"]),
        "character": face.character,
        "weights": files,
        "licence_type": pkg.metadata["license"]["type"],
        "copyright": pkg.metadata["license"]["attribution"],
        "codepoints": len(facts["cmap"]),
        "missing": missing_probes(facts["cmap"]),
        "tier": face.tier,
        "upstream_version": pkg.metadata.get("version"),
        "tarball_sha256": face.sha256,
        "metrics": font_metrics(outdir / files["400"]),  # see tools/font_metrics.py
    }
    if face.notes:
        info["notes"] = face.notes
    (outdir / "font.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    return info


def verify_only(face: Face, cache: Path, offline: bool) -> None:
    pkg = Package(fetch(face, cache, offline))
    for weight in face.weights:
        fname = f"{face.slug}-{WEIGHT_SUFFIX[weight]}.ttf"
        sources = [(sub, m, pkg.load(m))
                   for sub, m in pkg.subset_files(pkg.metadata["id"], weight, face.subsets)]
        check = verify(OUT_DIR / face.slug / fname, sources)
        status = "ok" if not check["problems"] else "; ".join(check["problems"][:5])
        print(f"{fname}: {status}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("faces", nargs="*", help="slugs to build (default: all)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help="where npm tarballs are kept (default %(default)s)")
    ap.add_argument("--offline", action="store_true", help="never call npm")
    ap.add_argument("--verify-only", action="store_true",
                    help="check the committed files against the tarballs")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    chosen = [f for f in FACES if not args.faces or f.slug in args.faces]
    unknown = set(args.faces) - {f.slug for f in FACES}
    if unknown:
        ap.error(f"unknown faces: {', '.join(sorted(unknown))}")
    for face in chosen:
        if args.verify_only:
            verify_only(face, args.cache, args.offline)
        else:
            log.info("== %s", face.slug)
            build(face, args.cache, args.offline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
