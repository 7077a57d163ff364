"""Check template files for an author: every problem at its line, and the example letter written for real."""

import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from letterhouse.letters.catalog import example_path, load_template
from letterhouse.letters.front_matter import close_match, split_front_matter
from letterhouse.letters.letter import validate_mapping
from letterhouse.letters.problems import LetterBodyFailed, LetterRefused, Problem, TemplateError
from letterhouse.letters.wording import render_body
from letterhouse.render.glyph_coverage import unwritable_characters
from letterhouse.render.letter_pdf import write_letter_pdf
from letterhouse.render.pdf import get_renderer


@dataclass
class FileCheck:
    """What checking one template file found, and its example letter's PDF when it was written."""

    path: Path
    problems: list = field(default_factory=list)
    pdf: bytes | None = None


def check_files(paths, catalog, max_pages=None, time_limit=None):
    """Return a FileCheck for each file or directory given, or for every file the catalog reads."""
    files = expand_paths(paths) if paths else list(catalog.template_paths().values())
    return [check_file(path, catalog.limits, max_pages, time_limit) for path in files]


def expand_paths(paths):
    """Return the template files named, a directory standing for the *.jinja files in it."""
    files = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.jinja")) if path.is_dir() else [path]
    return files


def check_file(path, limits, max_pages=None, time_limit=None):
    """Return every problem and warning of one template file, its example letter included."""
    path = Path(path)
    try:
        template = load_template(path, limits)
    except TemplateError as error:
        return FileCheck(path, list(error.problems))
    except (OSError, UnicodeDecodeError) as error:
        return FileCheck(path, [Problem(str(path), 1, f"cannot read: {error}")])
    example = check_example(template, max_pages, time_limit)
    return FileCheck(path, [*template.warnings, *example.problems], example.pdf)


def check_example(template, max_pages=None, time_limit=None):
    """Return the problems of a template's example data, and the PDF it makes when it has none."""
    data, problems = read_example(template)
    if data is None:
        return FileCheck(template.path, problems)
    letter, errors = validate_mapping(template, data, "json")
    if errors:
        return FileCheck(template.path, problems + validation_problems(template, errors))
    pdf, render_problems = render_example(template, letter, max_pages, time_limit)
    return FileCheck(template.path, problems + render_problems, pdf)


def read_example(template):
    """Return (the example's data or None, problems reading it)."""
    path = example_path(template.path)
    if not path.is_file():
        return None, [Problem(str(template.path), 1, f"no example data: write {path} so the letter is "
                                                     "rendered by checks, tests and the gallery", "warning")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(str(path), 1, f"cannot read the example: {error}")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Problem(str(path), error.lineno, f"example is not valid JSON: {error.msg}")]
    if not isinstance(data, dict):
        return None, [Problem(str(path), 1, 'example data is a JSON object like {"sender_name": "Ana"}')]
    return data, unknown_key_problems(template, data, path, text)


def unknown_key_problems(template, data, path, text):
    """Warn about example keys no field reads: a misspelt key silently tests nothing."""
    names = {spec.name for spec in template.all_fields}
    return [Problem(str(path), json_key_line(text, key), f"example gives {key!r}, which is not a field of "
                                                         f"this letter{close_match(key, names)}", "warning")
            for key in data if key not in names]


def json_key_line(text, key):
    """Return the line of a JSON text where `key` is first written as a key, or 1."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def validation_problems(template, errors):
    """Return the example's validation errors, each at the line its field is declared."""
    example = example_path(template.path)
    text = example.read_text(encoding="utf-8")
    lines = {spec.name: spec.line for spec in template.fields}
    problems = []
    for name, messages in errors.items():
        for message in messages:
            if lines.get(name):
                problems.append(Problem(str(template.path), lines[name], f"example {name!r}: {message}"))
            else:  # a common field, declared by Letterhouse: point into the example instead
                problems.append(Problem(str(example), json_key_line(text, name), f"{name!r}: {message}"))
    return problems


def render_example(template, letter, max_pages, time_limit=None):
    """Return (PDF or None, problems) from writing the example letter as the site would."""
    path, start = str(template.path), body_line(template)
    try:
        body = render_body(letter)
    except LetterBodyFailed as error:
        problem = error.problem
        return None, [Problem(path, problem.line, f"the example letter cannot be written: {problem.message}")]
    get_renderer()  # started first, so its own start-up notes are not blamed on this template
    with logged_warnings("weasyprint", "letterhouse.render.pdf") as records:
        try:
            rendered = write_letter_pdf(letter, max_pages, time_limit)
        except LetterRefused as error:
            return None, [Problem(path, start, f"the example letter cannot be written: {error}")]
    logged = [Problem(path, start, f"rendering the example letter logged: {record.getMessage()}")
              for record in records]
    return rendered.pdf, logged + unwritable_problems(template, letter, body)


def body_line(template):
    """Return the line of the file where the letter's body starts."""
    parts = split_front_matter(template.path.read_text(encoding="utf-8"))
    return parts[2] if parts else 1


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def logged_warnings(*logger_names):
    """Collect the warnings the named loggers log inside the block."""
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in logger_names]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


def unwritable_problems(template, letter, body):
    """Return a problem for each character of the example letter that no bundled hand can write."""
    text = "\n".join([body, *(value for value in letter.values.values() if isinstance(value, str))])
    return [Problem(*where_written(template, letter, char),
                    f"no bundled hand can write {char!r} (U+{ord(char):04X})")
            for char in unwritable_characters(text)]


def where_written(template, letter, char):
    """Return (file, line) a character comes from: a line of the template, else the example's field."""
    source = template.path.read_text(encoding="utf-8")
    if char in source:
        return str(template.path), source.count("\n", 0, source.index(char)) + 1
    example = example_path(template.path)
    name = next((n for n, v in letter.values.items() if isinstance(v, str) and char in v), None)
    return str(example), json_key_line(example.read_text(encoding="utf-8"), name) if name else 1
