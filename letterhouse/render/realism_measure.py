"""A PDF page measured for the tells of a computer (issue 15): cloned words, flat ink, set lines, ligatures.

Words and their boxes come from the text layer (pdfplumber); everything about how they look comes
from the page drawn at 150 dpi (pypdfium2): the ink is what a reader sees, whatever draws it.
"""

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import pdfplumber
import pypdfium2
from pdfplumber.utils.exceptions import PdfminerException

from letterhouse.render.word_likeness import pair_likenesses

DPI = 150
PX_PER_PT = DPI / 72
MM_PER_PX = 25.4 / DPI
INK = 0.35  # darkness (0 paper, 1 black) above which a pixel counts as ink
PAPER_NOISE = 0.1  # darkness below this is paper texture, not ink, when words are compared
CLONE = 0.90  # two instances of a word this alike or more are one word printed twice
PARAGRAPH = 1.4  # a gap this many line gaps or more starts a paragraph
LIGATURES = range(0xFB00, 0xFB50)  # the presentation forms: ff, fi, fl, ffi, ffl, st...


@dataclass
class Word:
    """A word of the text layer and the ink drawn where it is."""

    text: str
    darkness: np.ndarray  # the crop's darkness, 0 paper .. 1 black
    rgb: np.ndarray  # the crop's colours, rows x columns x 3
    left: float  # page px, where the crop starts
    top: float
    ink_left: float = 0.0  # page px, the ink's own extent and baseline
    ink_right: float = 0.0
    baseline: float = 0.0

    @property
    def ink(self):
        return self.darkness > INK

    @property
    def centre_x(self):
        return (self.ink_left + self.ink_right) / 2


def measure_pdf(path, page_number=1):
    """Return every figure for one page of a PDF, as plain data.

    :raise ValueError: the file is not a PDF, or has no such page.
    """
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as error:
        raise ValueError(f"{path} cannot be read as a PDF ({error}).") from None
    with pdf:
        if not 1 <= page_number <= len(pdf.pages):
            raise ValueError(f"{path} has {len(pdf.pages)} page(s); there is no page {page_number}.")
        page = pdf.pages[page_number - 1]
        boxes = page.extract_words(use_text_flow=True, keep_blank_chars=False)
        chars = [char["text"] for char in page.chars]
    rgb = render_page(path, page_number)
    words = [word for word in (cut_word(box, rgb) for box in boxes) if word is not None]
    lines = split_lines(words)
    return {"file": str(path), "page": page_number, "dpi": DPI, "words": len(words), "lines": len(lines),
            "repeated_words": repeated_word_figures(words), "ink": ink_figures(words, rgb),
            "layout": layout_figures(lines), "ligatures": ligature_figures(chars)}


def render_page(path, page_number):
    """Return the page drawn at DPI as an array of rows x columns x RGB."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        bitmap = document[page_number - 1].render(scale=PX_PER_PT)
        return np.asarray(bitmap.to_pil().convert("RGB"))
    finally:
        document.close()


def cut_word(box, rgb):
    """Return the Word in this text box, its ink measured, or None if nothing is drawn there."""
    pad_y = 0.15 * (box["bottom"] - box["top"]) * PX_PER_PT
    left, right = math.floor(box["x0"] * PX_PER_PT) - 2, math.ceil(box["x1"] * PX_PER_PT) + 2
    top, bottom = math.floor(box["top"] * PX_PER_PT - pad_y), math.ceil(box["bottom"] * PX_PER_PT + pad_y)
    left, top = max(left, 0), max(top, 0)
    crop = rgb[top:bottom, left:right]
    if crop.size == 0:
        return None
    grey = crop @ np.array([0.299, 0.587, 0.114])
    paper = max(np.percentile(grey, 90), 1.0)
    word = Word(box["text"], np.clip((paper - grey) / paper, 0, 1), crop, left, top)
    return find_ink(word)


def find_ink(word):
    """Fill in the word's ink extent and baseline; return None when it has next to no ink."""
    ink = word.ink
    if ink.sum() < 8:
        return None
    columns = np.nonzero(ink.any(axis=0))[0]
    word.ink_left, word.ink_right = word.left + columns[0], word.left + columns[-1] + 1
    word.baseline = word.top + baseline_row(ink.sum(axis=1))
    return word


def baseline_row(profile):
    """Return where the dense band of writing ends (descenders are thin), to a fraction of a row."""
    threshold = 0.4 * profile.max()
    last = int(np.nonzero(profile >= threshold)[0][-1])
    if last + 1 >= len(profile):
        return float(last + 1)
    above, below = profile[last], profile[last + 1]
    return last + 0.5 + (above - threshold) / max(above - below, 1e-9)


def split_lines(words):
    """Group words, in the order they are written, into lines: a line ends where the writing goes back left."""
    lines = []
    for word in words:
        current = lines[-1] if lines else None
        height = word.darkness.shape[0]
        if current and word.ink_left > current[-1].ink_left and abs(word.baseline - current[-1].baseline) < height:
            current.append(word)
        else:
            lines.append([word])
    return lines


def repeated_word_figures(words):
    """Return how alike the instances of each word written three or more times are."""
    groups = defaultdict(list)
    for word in words:
        if len(word.text) >= 2 and word.text.isalpha():
            groups[word.text].append(word)
    by_word, all_pairs = {}, []
    for text, group in sorted(groups.items()):
        if len(group) < 3:
            continue
        likenesses = [value for _, value in pair_likenesses([comparable_ink(word) for word in group])]
        all_pairs += likenesses
        by_word[text] = {"count": len(group), "most_alike": round(max(likenesses), 3),
                         "pairs_at_or_above": sum(value >= CLONE for value in likenesses)}
    worst = max(by_word, key=lambda text: by_word[text]["most_alike"], default=None)
    return {"words": by_word, "pairs": len(all_pairs), "threshold": CLONE, "most_alike_word": worst,
            "most_alike": round(max(all_pairs), 3) if all_pairs else None,
            "median": round(statistics.median(all_pairs), 3) if all_pairs else None,
            "pairs_at_or_above": sum(value >= CLONE for value in all_pairs)}


def comparable_ink(word):
    """Return the word's ink with paper texture taken out."""
    return np.clip(word.darkness - PAPER_NOISE, 0, None) * (word.darkness > PAPER_NOISE)


def core_ink(word):
    """Return the mask of the word's stroke centres: ink with ink all round, darker than half its darkest."""
    ink = word.ink
    inner = ink.copy()
    inner[1:, :] &= ink[:-1, :]
    inner[:-1, :] &= ink[1:, :]
    inner[:, 1:] &= ink[:, :-1]
    inner[:, :-1] &= ink[:, 1:]
    dark = word.darkness >= 0.5 * np.percentile(word.darkness[ink], 95)
    core = inner & dark
    return core if core.sum() >= 20 else ink & dark


def ink_figures(words, rgb):
    """Return how the ink's darkness spreads within words, and how much of it is one single colour."""
    spreads, colours = [], Counter()
    for word in words:
        core = core_ink(word)
        values = word.darkness[core]
        if len(values) >= 20:
            spreads.append(float(np.percentile(values, 75) - np.percentile(values, 25)))
        colours.update(map(tuple, word.rgb[core].tolist()))
    total = sum(colours.values())
    common = colours.most_common(1)[0][1] / total if total else None
    packed = rgb.reshape(-1, 3).astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)
    distinct = len(np.unique(packed))
    return {"darkness_iqr_median": round(statistics.median(spreads), 4) if spreads else None,
            "darkness_iqr_low": round(min(spreads), 4) if spreads else None,
            "most_common_colour_share": round(common, 3) if common is not None else None,
            "ink_colours": len(colours), "page_colours": distinct}


def line_shape(line):
    """Return a line's baseline: slope in degrees, curve (sagitta, mm), wobble (mm) and its fit.

    A word with a descender or a capital may sit off the line; the fit is robust to a few such words.
    """
    xs = np.array([word.centre_x for word in line])
    ys = np.array([word.baseline for word in line])
    straight = robust_line(xs, ys)
    residuals = ys - np.polyval(straight, xs)
    shape = {"words": len(line), "left_mm": line[0].ink_left * MM_PER_PX, "middle_x": float(xs.mean()),
             "slope_deg": math.degrees(math.atan(straight[0])), "fit": straight}
    kept = np.abs(residuals) <= max(3 * np.median(np.abs(residuals)), 1.0)
    if kept.sum() >= 4:
        curved = np.polyfit(xs[kept], ys[kept], 2)
        half = (xs[kept].max() - xs[kept].min()) / 2
        shape["curve_mm"] = abs(curved[0]) * half * half * MM_PER_PX
        shape["wobble_mm"] = float(np.std(residuals[kept])) * MM_PER_PX
    shape["end_crowding"] = end_crowding(line)
    return shape


def robust_line(xs, ys):
    """Return (slope, intercept) of the Theil-Sen line: the median slope of every pair of points."""
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs))
              if xs[j] != xs[i]]
    slope = float(np.median(slopes)) if slopes else 0.0
    return np.array([slope, float(np.median(ys - slope * xs))])


def end_crowding(line):
    """Return the last two word gaps of a line over its usual gap (below 1: crowded at the end), or None."""
    gaps = [max(after.ink_left - before.ink_right, 0) for before, after in zip(line, line[1:])]
    if len(gaps) < 5 or not statistics.median(gaps[:-2]):
        return None
    return statistics.mean(gaps[-2:]) / statistics.median(gaps[:-2])


def body_lines(shapes):
    """Return the lines of running text: three words or more, starting near the usual left edge."""
    long = [shape for shape in shapes if shape["words"] >= 3]
    if not long:
        return []
    usual = statistics.median(shape["left_mm"] for shape in long)
    return [shape for shape in long if abs(shape["left_mm"] - usual) < 10]


def gap_mm(upper, lower):
    """Return the distance between two lines' baselines, midway between their middles, in mm."""
    x = (upper["middle_x"] + lower["middle_x"]) / 2
    return (np.polyval(lower["fit"], x) - np.polyval(upper["fit"], x)) * MM_PER_PX


def layout_figures(lines):
    """Return the figures of lines a hand would make: slopes, curves, gaps, margin, crowding."""
    shapes = [line_shape(line) for line in lines if len(line) >= 2]
    body = body_lines(shapes)
    gaps = [gap_mm(upper, lower) for upper, lower in zip(body, body[1:])]
    usual = statistics.median(gaps) if gaps else None
    line_gaps = [gap for gap in gaps if gap < PARAGRAPH * usual] if gaps else []
    ratios = [gap / usual for gap in gaps if gap >= PARAGRAPH * usual] if gaps else []
    slopes = [shape["slope_deg"] for shape in body]
    turns = [abs(after - before) for before, after in zip(slopes, slopes[1:])]
    curves = [shape["curve_mm"] for shape in body if "curve_mm" in shape]
    crowding = [shape["end_crowding"] for shape in body if shape["end_crowding"] is not None]
    lefts = [shape["left_mm"] for shape in body]
    wobbles = [shape["wobble_mm"] for shape in body if "wobble_mm" in shape]
    return {"body_lines": len(body), "slope_deg_spread": spread(slopes), "slope_deg_change_median": median(turns),
            "slope_deg_largest": rounded(max(map(abs, slopes), default=None)),
            "curve_mm_median": median(curves), "wobble_mm_median": median(wobbles),
            "line_gap_mm": median(line_gaps), "line_gap_mm_spread": spread(line_gaps),
            "line_gap_mm_range": rounded(max(line_gaps) - min(line_gaps)) if line_gaps else None,
            "paragraph_gap_in_lines": [round(ratio, 3) for ratio in ratios],
            "paragraph_gap_off_whole": rounded(min((abs(r - round(r)) for r in ratios), default=None)),
            "left_margin_mm_spread": spread(lefts), "left_margin_creep_mm_per_line": creep(lefts),
            "end_crowding_median": median(crowding)}


def creep(lefts):
    """Return how far the left edge moves per line, on average over the page (mm)."""
    return rounded(float(np.polyfit(range(len(lefts)), lefts, 1)[0])) if len(lefts) >= 3 else None


def ligature_figures(chars):
    """Return the glyphs that write more than one character (or a presentation-form ligature)."""
    found = Counter(text for text in chars if len(text) > 1 or any(ord(c) in LIGATURES for c in text))
    return {"count": sum(found.values()), "which": dict(found)}


def rounded(value, places=3):
    return None if value is None else round(value, places)


def median(values):
    return rounded(statistics.median(values)) if values else None


def spread(values):
    """Return the standard deviation of the values (None for fewer than two)."""
    return rounded(statistics.stdev(values)) if len(values) >= 2 else None
