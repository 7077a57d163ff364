"""Every row of a batch checked before anything is rendered: rows -> checked letters and RowProblems."""

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from letterhouse.batch.dates import read_date
from letterhouse.batch.letter_data import known_fields, letter_from_object, unknown_field_errors
from letterhouse.batch.options import NO_OPTIONS, BatchOptions, with_batch_style
from letterhouse.batch.studio_metadata import METADATA
from letterhouse.letters.blank import is_blank_text
from letterhouse.letters.letter import Letter, letter_filename, validate_mapping

MAX_PROBLEMS_KEPT = 1000  # problems listed for a batch; more are counted, not kept
OWN_COLUMN_HINT = (" If the column is yours, like an order number, mark it as one of your own columns: "
                   "it is then carried into manifest.csv and never printed.")


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot become a letter: its spreadsheet row, the field (or column) and a message.

    The one shape of a row's problem, from checking to the web page, the API's 422 and the CLI.
    """

    row: int
    field: str
    message: str

    def __str__(self):
        return f"row {self.row}, {self.field}: {self.message}" if self.field else f"row {self.row}: {self.message}"

    def as_dict(self):
        """Return the problem as JSON members: row, field and message."""
        return dataclasses.asdict(self)


def numbered_filename(ordinal, letter):
    """Return a batch letter's file name, like '0001-anniversary-to-chris.pdf'."""
    return f"{ordinal:04d}-{letter_filename(letter)}"


@dataclass(frozen=True)
class RowLetter:
    """A row that passed its checks, and the Letter it becomes."""

    row: object  # rows.Row, or any record with its ordinal and number
    letter: Letter
    own: dict = field(default_factory=dict)  # the studio's own columns and metadata: into the manifest, never printed

    @property
    def filename(self):
        return numbered_filename(self.row.ordinal, self.letter)


@dataclass
class BatchCheck:
    """The outcome of checking every row: the letters that can be made and every problem found.

    The site and the API keep only the first max_problems (a file can have hundreds on every row);
    problem_count counts them all.
    """

    template: object
    total: int
    letters: list = field(default_factory=list)  # RowLetters, in row order
    problems: list = field(default_factory=list)  # RowProblems, the first max_problems
    problem_count: int = 0
    max_problems: int | None = None
    options: BatchOptions = NO_OPTIONS

    def add_problems(self, problems):
        """Keep problems up to the limit, and count every one."""
        problems = list(problems)
        self.problem_count += len(problems)
        room = len(problems) if self.max_problems is None else max(0, self.max_problems - len(self.problems))
        self.problems += problems[:room]


def check_rows(template, row_set, max_problems=None, options=NO_OPTIONS):
    """Return the BatchCheck of a RowSet; a problem in the header row means no letter is made."""
    header = header_problems(template, row_set, options)
    check = BatchCheck(template, total=len(row_set.rows), max_problems=max_problems, options=options)
    check.add_problems(header)
    for row in row_set.rows:
        is_json = row_set.header_row is None
        letter, errors = row_letter(template, row, options, check_unknown=is_json)
        own, own_errors = own_values(row, options, is_json)
        errors = {**errors, **own_errors}
        check.add_problems([*extra_cell_problems(row), *(RowProblem(row.number, name, message)
                                                         for name, messages in errors.items() for message in messages)])
        if letter is not None and not errors and not header and not row.extra_cells:
            check.letters.append(RowLetter(row, letter, own))
    return check


def row_letter(template, row, options, check_unknown):
    """Return (Letter or None, errors) for one row; a CSV's unknown columns are reported once, at the header.

    A JSON object's values are JSON (ISO dates); a CSV row's cells are text as people type it, dates too.
    """
    values = {name: value for name, value in row.values.items() if name not in options.own_columns}
    values = with_batch_style(values, options.style)
    if check_unknown:
        return letter_from_object(template, values)
    known = set(known_fields(template))
    values, date_errors = typed_dates(template, {k: v for k, v in values.items() if k in known}, options.date_order)
    letter, errors = validate_mapping(template, values, "text")
    errors = {**date_errors, **errors}
    return (None if errors else letter), errors


def extra_cell_problems(row):
    """Return the problem of a CSV row with more cells than the header has columns, at that row."""
    if not row.extra_cells:
        return []
    shown = ", ".join(f"“{cell[:40]}”" for cell in row.extra_cells[:3]) + (", …" if len(row.extra_cells) > 3 else "")
    return [RowProblem(row.number, "", f"This row has {len(row.extra_cells)} cell(s) more than the header has "
                                       f"columns ({shown}): give each a heading in row 1, or remove them.")]


def typed_dates(template, values, order):
    """Return (values with each date cell as an ISO date, {field: [message]} for a date that cannot be read)."""
    values, errors = dict(values), {}
    for name, spec in template.form_class.specs.items():
        text = values.get(name)
        if spec.type != "date" or not isinstance(text, str) or not text.strip():
            continue
        try:
            values[name] = read_date(text, order)
        except ValueError as error:
            errors[name] = [str(error)]
            del values[name]
    return values, errors


def own_values(row, options, is_json=False):
    """Return (the studio's own data of a row, {name: [message]}): its cells in the studio's own columns (an absent
    one as ""), then the members of a JSON row's metadata object (checked, with its letter, by letter_from_object)."""
    own = {name: "" if row.values.get(name) is None else row.values[name] for name in options.own_columns}
    metadata = row.values.get(METADATA) if is_json and METADATA not in options.own_columns else None
    if not isinstance(metadata, dict):
        return own, {}
    twice = [name for name in metadata if name in own]
    if twice:
        return own, {METADATA: [f"“{name}” is one of your own columns and a member of metadata too; give it once."
                                for name in twice]}
    return {**own, **metadata}, {}


def header_problems(template, row_set, options=NO_OPTIONS):
    """Return problems of the columns: repeated ones, unknown ones with something in them, own ones not there."""
    row = row_set.header_row or 1  # JSON has no header: its first object stands for it
    missing = [RowProblem(row, name, f"You marked “{name}” as your own column, but the file has no such "
                                     f"{'column' if row_set.header_row else 'key'}.")
               for name in options.own_columns if name not in row_set.columns]
    if row_set.header_row is None:
        return missing
    repeated = [name for name, count in Counter(row_set.columns).items() if name and count > 1]
    problems = [RowProblem(row, name, f"The column “{name}” appears more than once.") for name in repeated]
    used = {name for r in row_set.rows for name, value in r.values.items() if not is_blank_text(value)}
    unknown = unknown_field_errors(template, [name for name in dict.fromkeys(row_set.columns)
                                              if name in used and name not in options.own_columns])
    return missing + problems + [RowProblem(row, name, unknown_column_message(messages[0]))
                                 for name, messages in unknown.items()]


def unknown_column_message(message):
    """Return the message for a column no field has, offering to mark it as the studio's own if no field is near."""
    return message if "Did you mean" in message else message + OWN_COLUMN_HINT
