"""The sandboxed Jinja environment letter bodies run in: filters and the {% choose %} block."""

import datetime
import hashlib
import re

from jinja2 import StrictUndefined, Template, nodes
from jinja2.ext import Extension

from letterhouse.letters.names import greeting_name
from letterhouse.letters.sandbox_limits import BoundedSandbox

SEED_VARIABLE = "letter_seed"


def long_date(value):
    """Return a date written out as a person would: '14 February 2026'."""
    if isinstance(value, str) and value:
        value = datetime.date.fromisoformat(value)
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {value:%B %Y}"


def pick_index(seed, key, count):
    """Return a stable choice in range(count) for this seed and this place in the template."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


class ChooseExtension(Extension):
    """`{% choose %}A{% or %}B{% endchoose %}`: the letter's seed picks one phrasing."""

    tags = {"choose"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        options = []
        while True:
            options.append(parser.parse_statements(("name:or", "name:endchoose")))
            if next(parser.stream).value == "endchoose":
                break
        # Two blocks on one line must not move in lockstep: key each by line and order on it.
        place = f"{lineno}:{self._count_on_line(parser, lineno)}"
        picked = self.call_method(
            "_pick", [nodes.ContextReference(), nodes.Const(place), nodes.Const(len(options))]
        )
        return _branches(picked, options, lineno)

    @staticmethod
    def _count_on_line(parser, lineno):
        counts = parser.__dict__.setdefault("_choose_blocks_per_line", {})
        counts[lineno] = counts.get(lineno, 0) + 1
        return counts[lineno]

    def _pick(self, context, place, count):
        return pick_index(context.get(SEED_VARIABLE, 0), place, count)


def _branches(picked, options, lineno):
    """Return `if picked == 0 ... elif picked == 1 ...` nodes over the options."""
    tests = [
        nodes.If(nodes.Compare(picked, [nodes.Operand("eq", nodes.Const(i))]), body, [], [])
        for i, body in enumerate(options)
    ]
    for outer, inner in zip(tests, tests[1:]):
        outer.else_ = [inner]
    for node in tests:
        node.set_lineno(lineno)
    return tests[0]


class TagLinesExtension(Extension):
    """Make a line that holds only `{% ... %}` tags (or `{# comments #}`) vanish, newline and all.

    Jinja's trim_blocks would also eat the newline after an inline tag at the end of a
    line of prose; this touches only lines with nothing but tags. The newline moves into a
    comment, so line numbers in errors still match the file.
    """

    def preprocess(self, source, name, filename=None):
        return TAG_ONLY_LINE.sub(lambda m: m.group(1).rstrip() + "{#\n#}", source)


TAG_ONLY_LINE = re.compile(r"^([ \t]*(?:(?:\{%(?:[^%]|%(?!\}))*%\}|\{#(?:[^#]|#(?!\}))*#\})[ \t]*)+)\n",
                           re.MULTILINE)


class BodyTemplate(Template):
    """A compiled letter body that keeps its code, so a batch worker can be given it without parsing it again."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        template.code = code
        return template


def body_from_code(code):
    """Return the letter body compiled to `code` (a BodyTemplate's), ready to render."""
    return BodyTemplate.from_code(ENVIRONMENT, code, ENVIRONMENT.make_globals(None))


def make_environment():
    """Return the one environment every letter body is compiled in."""
    env = BoundedSandbox(
        undefined=StrictUndefined,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # bodies render to plain text; compose.py escapes all of it
        extensions=[TagLinesExtension, ChooseExtension],
    )
    env.template_class = BodyTemplate
    env.filters.update(greeting_name=greeting_name, first_name=greeting_name, long_date=long_date)
    env.bound_filters()
    env.globals.clear()  # no range, lipsum, cycler, joiner or namespace in letters
    return env


ENVIRONMENT = make_environment()
