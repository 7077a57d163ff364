"""What realism costs: a warm one-page letter at `natural` timed against the same letter at `neat`."""

import statistics
import time

from letterhouse.bench.sections import BENCH_SLUG, bench_letter, median_ms
from letterhouse.render.letter_pdf import write_letter_pdf

WARM_UP = 3


def realism_cost(catalog, rounds=30, slug=BENCH_SLUG):
    """Return the median render times of one letter at natural and at neat, taken in turn, and their ratio.

    Neat writes every letter in its one original shape, with no paragraph tilts or ink changes:
    the letter as it was before realism. Rounds alternate so that both see the same machine.
    """
    letters = {level: bench_letter(catalog, slug, realism=level) for level in ("natural", "neat")}
    times, sizes = {level: [] for level in letters}, {}
    for round_number in range(rounds + WARM_UP):
        for level, letter in letters.items():
            started = time.perf_counter()
            sizes[level] = len(write_letter_pdf(letter).pdf)
            if round_number >= WARM_UP:
                times[level].append(time.perf_counter() - started)
    natural, neat = (statistics.median(times[level]) for level in ("natural", "neat"))
    return {"natural_ms": median_ms(times["natural"]), "neat_ms": median_ms(times["neat"]),
            "ratio": round(natural / neat, 2), "rounds": rounds,
            "natural_pdf_kb": round(sizes["natural"] / 1024, 1), "neat_pdf_kb": round(sizes["neat"] / 1024, 1)}
