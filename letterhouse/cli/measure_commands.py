"""`letterhouse realism`: a PDF page measured for the tells of a computer, as a table or JSON."""

import json

import click


@click.command("realism")
@click.argument("pdf_path", metavar="FILE.pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1), help="The page to measure.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of a table.")
def realism_command(pdf_path, page, as_json):
    """Measure how handwritten a PDF page looks: cloned words, flat ink, set lines, ligatures.

    Words come from the PDF's text, their ink from the page drawn at 150 dpi. The goals
    beside the figures are issue 15's: what a page should show to pass for handwriting.

    Example:

        letterhouse realism letter.pdf --json
    """
    from letterhouse.render.realism_measure import measure_pdf

    try:
        figures = measure_pdf(pdf_path, page)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"Realism of {pdf_path}, page {page}, drawn at {figures['dpi']} dpi: "
               f"{figures['words']} words on {figures['lines']} lines")
    for figure, value, goal in realism_rows(figures):
        click.echo(f"  {figure:44} {value:24} {goal}".rstrip())


def realism_rows(figures):
    """Return the table's rows: (figure, value, goal)."""
    words, ink, layout, ligatures = (figures[key] for key in ("repeated_words", "ink", "layout", "ligatures"))
    return [
        ("repeated words (3+ on the page), pairs", f"{len(words['words'])} words, {words['pairs']} pairs", ""),
        ("most alike pair, position/size/angle aligned", f"{shown(words['most_alike'])} ({words['most_alike_word']})",
         f"< {words['threshold']}"),
        (f"pairs at {words['threshold']} or more", f"{words['pairs_at_or_above']} of {words['pairs']}", "0"),
        ("median likeness of the pairs", shown(words["median"]), ""),
        ("ink darkness IQR within a word (median)", shown(ink["darkness_iqr_median"]),
         "clearly above flat ink (about 0.007)"),
        ("share of the ink in its commonest colour", shown(ink["most_common_colour_share"]), "well under 0.5"),
        ("colours on the page", shown(ink["page_colours"]), "a scan: tens of thousands"),
        ("baseline slope between lines, sd (deg)", shown(layout["slope_deg_spread"]), "each line its own"),
        ("baseline slope change, line to line (deg)", shown(layout["slope_deg_change_median"]), "above 0"),
        ("baseline curve per line, median (mm)", shown(layout["curve_mm_median"]), "a little"),
        ("line gap (mm), its sd", f"{shown(layout['line_gap_mm'])}, sd {shown(layout['line_gap_mm_spread'])}",
         "sd a few tenths of a mm"),
        ("paragraph gaps, in line gaps", ", ".join(map(str, layout["paragraph_gap_in_lines"])) or "-",
         "not whole numbers"),
        ("left margin sd (mm), creep (mm per line)",
         f"{shown(layout['left_margin_mm_spread'])}, {shown(layout['left_margin_creep_mm_per_line'])}", "creeps"),
        ("last word gaps over usual gap (median)", shown(layout["end_crowding_median"]), "a little under 1"),
        ("ligature glyphs", f"{ligatures['count']} " + " ".join(f"{k}:{v}" for k, v in ligatures["which"].items()),
         "0"),
    ]


def shown(value):
    return "-" if value is None else str(value)
