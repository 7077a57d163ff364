"""Find letter template files, parse them into LetterTemplates, and notice when they change."""

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import TemplateSyntaxError
from jinja2 import meta as jinja_meta

from letterhouse.letters.fields import COMMON_FIELDS, STYLE_FIELDS, build_form_class, with_defaults
from letterhouse.letters.front_matter import check_body, parse_front_matter
from letterhouse.letters.problems import Problem, TemplateError
from letterhouse.letters.sandbox import ENVIRONMENT

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_TEMPLATE_BYTES = 100_000  # the longest bundled template is under 10 kB
LOGGER = logging.getLogger(__name__)


@dataclass
class LetterTemplate:
    """A parsed, compiled letter template: what it asks for and how it writes."""

    slug: str
    path: Path
    title: str
    description: str
    occasion: str
    defaults: dict
    fields: tuple  # the template's own FieldSpecs, in file order
    body: object  # compiled jinja2.Template
    digest: str  # sha256 of the file, so a letter can name the exact version it came from
    warnings: tuple = ()
    limits: dict = field(default_factory=dict)
    name: str = ""  # how problems name the file: relative to its templates directory, never the server's path
    keywords: tuple = ()  # what else a search for this letter may say ("wedding", "mum"); shown nowhere
    body_names: frozenset = frozenset()  # every field name the body reads

    def asks(self, spec):
        """Return whether the form should ask for this field (a couple's "we" only where the words change)."""
        return not spec.asked_only_if_used or spec.name in self.body_names

    @cached_property  # a template version never changes, and every form, schema and hint asks
    def all_fields(self):
        """Return every field of a letter from this template, in form order."""
        common = [with_defaults(spec, self.defaults) for spec in COMMON_FIELDS + STYLE_FIELDS]
        sender_and_recipient = [s for s in common if s.group in ("sender", "recipient")]
        rest = [s for s in common if s.group not in ("sender", "recipient")]
        own = [with_defaults(spec, self.defaults) for spec in self.fields]
        return (*sender_and_recipient, *own, *rest)

    @cached_property
    def form_class(self):
        """Return the WTForms class for this version of the template (built once)."""
        return build_form_class(self.slug, self.all_fields, self.limits)


@dataclass
class BrokenTemplate:
    """A template file that cannot be used, and why."""

    slug: str
    path: Path
    problems: list
    title: str = ""


class TemplateNotFound(LookupError):
    """No template file has this slug."""

    def __init__(self, slug):
        super().__init__(f"There is no template called “{slug}”.")
        self.slug = slug


class TemplateUnavailable(Exception):
    """The template file has mistakes, so it cannot be used until they are mended."""

    def __init__(self, entry):
        super().__init__(f"The template “{entry.slug}” cannot be used until it is mended.")
        self.entry, self.slug, self.problems = entry, entry.slug, entry.problems


def template_summary(entry):
    """Return what a listing says about one template, good or broken, as plain JSON data."""
    if isinstance(entry, BrokenTemplate):
        return {"slug": entry.slug, "available": False, "problems": [str(problem) for problem in entry.problems]}
    return {"slug": entry.slug, "available": True, "title": entry.title, "description": entry.description,
            "occasion": entry.occasion, "fields": [spec.name for spec in entry.fields]}


def example_path(template_path):
    """Return where a template's example data lives: examples/<slug>.json beside the template."""
    template_path = Path(template_path)
    return template_path.parent / "examples" / f"{template_path.stem}.json"


def example_values(template):
    """Return a template's example data as a dict, or None when it has no readable example."""
    try:
        data = json.loads(example_path(template.path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load_template(path, limits, name=None):
    """Return the LetterTemplate in a file, or raise TemplateError listing every problem.

    Problems name the file as `name` (the path as given when there is none).
    """
    path = Path(path)
    name = name or str(path)
    text = read_template_text(path, name)
    meta, fields, body_text, body_line, problems = parse_front_matter(name, text)
    if not SLUG.match(path.stem):
        problems.append(Problem(name, 1, "file name must be lowercase letters, digits and hyphens"))
    body, body_names = None, frozenset()
    if body_text is not None:
        body, body_problems, body_names = compiled_body(name, text, body_text, body_line, fields)
        problems += body_problems
    if any(p.is_error for p in problems):
        raise TemplateError(sorted(problems, key=lambda p: p.line))
    return LetterTemplate(
        slug=path.stem, path=path, title=str(meta.get("title") or path.stem.replace("-", " ").title()),
        description=str(meta.get("description") or ""), occasion=str(meta.get("occasion") or "other"),
        defaults=dict(meta.get("defaults") or {}), fields=tuple(fields), body=body,
        digest=hashlib.sha256(text.encode()).hexdigest(), warnings=tuple(problems), limits=limits, name=name,
        keywords=tuple(meta.get("keywords") or ()), body_names=body_names,
    )


def read_template_text(path, name):
    """Return a template file's text, refusing one too large to be a letter before reading it."""
    size = path.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError([Problem(name, 1, f"the file is {size:,} bytes; a template may be at most "
                                              f"{MAX_TEMPLATE_BYTES:,}")])
    return path.read_text(encoding="utf-8")


COMPILED_KEPT = 256  # bodies kept compiled per process (a server has tens of templates)
COMPILED = {}  # (file name, digest of the whole file) -> compile_body's answer


def compiled_body(filename, text, body_text, body_line, fields):
    """Return compile_body's answer, compiled once per process for each file's name and text.

    Compiling a long body costs a tenth of a second or more, and every app, worker and reload would
    compile the same text again; the body, its problems and names follow from the file alone.
    """
    key = (filename, hashlib.sha256(text.encode()).digest())
    if key not in COMPILED:
        if len(COMPILED) >= COMPILED_KEPT:
            COMPILED.pop(next(iter(COMPILED)), None)
        COMPILED[key] = compile_body(filename, body_text, body_line, fields)
    return COMPILED[key]


def compile_body(filename, body_text, body_line, fields):
    """Return (compiled body, problems, names the body reads), with line numbers counted from the top of the file."""
    padded = "\n" * (body_line - 1) + body_text  # so Jinja's line numbers are the file's
    try:
        ast = ENVIRONMENT.parse(padded)
        names = frozenset(jinja_meta.find_undeclared_variables(ast))
        problems = check_body(filename, ast, fields, names)
        if any(p.is_error for p in problems):
            return None, problems, frozenset()
        return ENVIRONMENT.from_string(padded), problems, names
    except TemplateSyntaxError as error:  # also unknown filters and tests, found when compiling
        return None, [Problem(filename, error.lineno, f"template syntax error: {error.message}")], frozenset()
    except (RecursionError, ValueError, ArithmeticError) as error:  # nesting or a constant too deep or large
        problem = Problem(filename, body_line, f"the body cannot be compiled: {type(error).__name__}")
        return None, [problem], frozenset()


class Catalog:
    """Every template in the configured directories, re-read when a file changes."""

    def __init__(self, directories, limits):
        self.directories = [Path(d) for d in directories]
        self.limits = limits
        self._cache = {}  # path -> ((mtime_ns, size), LetterTemplate | BrokenTemplate)

    def template_paths(self):
        """Return every *.jinja file, the first directory winning on a repeated slug."""
        found = {}
        for directory in self.directories:
            for path in sorted(directory.glob("*.jinja")) if directory.is_dir() else ():
                found.setdefault(path.stem, path)
        return found

    def entries(self):
        """Return every template, good or broken, sorted by title, reloading changed files."""
        paths = self.template_paths()
        self._cache = {p: self._cache[p] for p in self._cache if p in paths.values()}
        entries = [self._load_cached(path) for path in paths.values()]
        return sorted(entries, key=lambda e: (e.title or e.slug).lower())

    def _load_cached(self, path):
        try:
            stat = path.stat()
        except OSError as error:
            return BrokenTemplate(path.stem, path, [Problem(path.name, 0, f"cannot read: {error.strerror}")])
        version = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == version:
            return cached[1]
        entry = self._load(path)
        self._cache[path] = (version, entry)
        return entry

    def _load(self, path):
        """Return one file's entry; whatever goes wrong reading it stays in that entry."""
        try:
            return load_template(path, self.limits, name=path.name)
        except TemplateError as error:
            return BrokenTemplate(path.stem, path, error.problems, title=path.stem)
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or type(error).__name__
            return self._broken(path, f"cannot read: {reason}")
        except Exception:
            LOGGER.exception("Template %s could not be loaded", path)
            return self._broken(path, "cannot be loaded: it trips a fault in Letterhouse (see the server log)")

    @staticmethod
    def _broken(path, message):
        return BrokenTemplate(path.stem, path, [Problem(path.name, 1, message)], title=path.stem)

    def get(self, slug):
        """Return the template (or broken template) with this slug, or None."""
        path = self.template_paths().get(slug)
        return self._load_cached(path) if path else None

    def usable_template(self, slug):
        """Return the usable template with this slug.

        :raise TemplateNotFound: when no file has this slug
        :raise TemplateUnavailable: when its file has mistakes (they are on the exception)
        """
        entry = self.get(slug)
        if entry is None:
            raise TemplateNotFound(slug)
        if isinstance(entry, BrokenTemplate):
            raise TemplateUnavailable(entry)
        return entry

    def templates(self):
        """Return only the usable templates."""
        return [e for e in self.entries() if isinstance(e, LetterTemplate)]


def catalog_from_config(config):
    """Return a Catalog for the app's settings."""
    directories = [d for d in str(config["TEMPLATES"]).split(os.pathsep) if d]
    limits = {"string": config["STRING_MAX_LENGTH"], "text": config["TEXT_MAX_LENGTH"]}
    return Catalog(directories, limits)
