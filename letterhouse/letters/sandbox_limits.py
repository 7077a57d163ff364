"""What a letter body may build: bounded text, numbers, calls and output, each refusal raised at its line."""

import functools
import operator
import re
import threading
from contextlib import contextmanager

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

MAX_SIZE = 100_000  # characters (or list items) one expression may build
MAX_BITS = 10_000  # bits of a whole number, about 3,000 digits (Python writes out at most 4,300)
MAX_ARGUMENT = 10_000  # the largest number a filter or text method is given (a width, a count)
MAX_CALL_DEPTH = 50  # macros calling macros
MAX_CALLS = 20_000  # calls of macros and methods in one letter
MAX_OUTPUT = 200_000  # characters one letter's {{ ... }} may write, counted where they are written
FORMAT_WIDTH = re.compile(r"%[-#0 +]*(?:\*|\d{4,})|%[-#0 +]*\d*\.(?:\*|\d{4,})")


class TemplateLimit(SecurityError):
    """A letter body that asked for far more than any letter needs."""


def refuse(message):
    raise TemplateLimit(message)


def weight(value):
    """Return how much building a value costs: characters of text, items (and their text) of a list."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(weight(item) if isinstance(item, str) else 1 for item in value[:MAX_SIZE + 1])
    return 0


def check_weight(value, what):
    """Refuse a value heavier than MAX_SIZE."""
    if weight(value) > MAX_SIZE:
        refuse(f"{what} would build {weight(value):,} characters; a letter may build at most {MAX_SIZE:,}")
    return value


def check_repeat(left, right):
    """Refuse `text * n` or `list * n` past MAX_SIZE, and products of huge whole numbers."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            size = weight(sequence) * max(count, 0)
            if size > MAX_SIZE:
                refuse(f"'*' would build {size:,} characters; a letter may build at most {MAX_SIZE:,}")
    if isinstance(left, int) and isinstance(right, int):
        check_bits(left.bit_length() + right.bit_length(), "'*'")


def check_power(left, right):
    """Refuse `a ** b` whose result would have more than MAX_BITS bits."""
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        check_bits(left.bit_length() * min(right, MAX_BITS + 1), "'**'")


def check_bits(bits, operator):
    if bits > MAX_BITS:
        refuse(f"{operator} would make a number of about {bits * 3 // 10:,} digits; a letter's numbers are smaller")


def check_join(left, right):
    """Refuse `a + b` of text or lists past MAX_SIZE."""
    if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        check_weight_sum(weight(left) + weight(right), "'+'")


def check_weight_sum(size, what):
    if size > MAX_SIZE:
        refuse(f"{what} would build {size:,} characters; a letter may build at most {MAX_SIZE:,}")


def check_format(text):
    """Refuse %-formatting with a huge or computed width: '%999999999s' builds a gigabyte."""
    if isinstance(text, str) and FORMAT_WIDTH.search(text):
        refuse("a format with a width of 1,000 or more (or '*') is not allowed in letters")


def check_arguments(args, kwargs):
    """Refuse a number past MAX_ARGUMENT given to a filter or text method: widths and counts stay small."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            refuse(f"{value:,} is too large to give a filter or method; at most {MAX_ARGUMENT:,}")


def check_replace(text, old, new, *_):
    """Refuse a replace whose result would be past MAX_SIZE, before it is built."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        check_weight_sum(len(text) + count * (len(new) - len(old)), "replace")


def check_join_filter(items, separator="", *_):
    """Refuse a |join whose text would be past MAX_SIZE, before it is built."""
    if isinstance(items, (list, tuple)):
        size = sum(len(str(item)) for item in items) + len(str(separator)) * len(items)
        check_weight_sum(size, "join")


FILTER_PRECHECKS = {"replace": check_replace, "join": check_join_filter, "format": lambda text, *_: check_format(text)}
METHOD_PRECHECKS = {
    "replace": check_replace,
    "join": lambda separator, items=(), *_: check_join_filter(items, separator),
}
BINOP_CHECKS = {"*": check_repeat, "**": check_power, "+": check_join, "%": lambda left, _: check_format(left)}


ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "//": operator.floordiv, "%": operator.mod, "**": operator.pow}


def constant_refusals(ast):
    """Return (line, message) for each expression of constants that would be refused when the letter is written.

    `{{ 10 ** 5000 }}` is then a problem at its line when the file is read, not a failure of every letter.
    """
    refusals = []
    for node in ast.find_all(nodes.BinExpr):
        try:
            constant_value(node)
        except TemplateLimit as refusal:
            refusals.append((node.lineno, str(refusal)))
        except (nodes.Impossible, ArithmeticError, TypeError, ValueError):
            pass
    return sorted(set(refusals))


def constant_value(node):
    """Return the value of an expression of constants, checked as the sandbox would check it."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.BinExpr) and node.operator in ARITHMETIC:
        left, right = constant_value(node.left), constant_value(node.right)
        BINOP_CHECKS.get(node.operator, lambda *_: None)(left, right)
        return ARITHMETIC[node.operator](left, right)
    raise nodes.Impossible()


class Budget:
    """What one letter has spent: calls made, how deep they go, characters written."""

    def __init__(self):
        self.calls = self.depth = self.output = 0

    def enter(self):
        self.calls += 1
        self.depth += 1
        if self.depth > MAX_CALL_DEPTH:
            refuse(f"macros call each other more than {MAX_CALL_DEPTH} deep")
        if self.calls > MAX_CALLS:
            refuse(f"this letter makes more than {MAX_CALLS:,} calls; a letter needs far fewer")

    def write(self, size):
        self.output += size
        if self.output > MAX_OUTPUT:
            refuse(f"this letter would write more than {MAX_OUTPUT:,} characters")


_local = threading.local()


def current_budget():
    return getattr(_local, "budget", None)


@contextmanager
def spending(budget):
    """Count the calls and output of renders inside the block against `budget`."""
    previous, _local.budget = current_budget(), budget
    try:
        yield budget
    finally:
        _local.budget = previous


def render_bounded(template, context):
    """Return a compiled body rendered over `context` within every limit of this module.

    :raise TemplateLimit: at the line of the body that asked for too much
    """
    with spending(Budget()):
        return check_output(template.render(context))


def check_output(text):
    if len(text) > MAX_OUTPUT:
        refuse(f"this letter would write more than {MAX_OUTPUT:,} characters")
    return text


def count_output(value):
    """Count what a {{ ... }} writes against the letter's budget (Jinja's finalize hook)."""
    budget = current_budget()
    if budget is not None:
        budget.write(len(value) if isinstance(value, str) else len(str(value)))
    return value


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with bounds on what `*`, `**`, `+`, `%`, calls, filters and output may build."""

    intercepted_binops = frozenset(BINOP_CHECKS)

    def __init__(self, **options):
        super().__init__(finalize=count_output, **options)

    def call_binop(self, context, operator, left, right):
        BINOP_CHECKS[operator](left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 -- Jinja's own spelling
        for value in (*args, *kwargs.values()):  # `f(s ~ s)` doubling text at each call
            check_weight(value, "an argument")
        text_method = isinstance(getattr(__obj, "__self__", None), str)
        if text_method:
            check_arguments(args, kwargs)
            METHOD_PRECHECKS.get(__obj.__name__, lambda *_: None)(__obj.__self__, *args)
        budget = current_budget()
        if budget is None:
            return __self.checked_call(__context, __obj, args, kwargs)
        budget.enter()
        try:
            return __self.checked_call(__context, __obj, args, kwargs)
        finally:
            budget.depth -= 1

    def checked_call(self, context, obj, args, kwargs):
        return check_weight(super().call(context, obj, *args, **kwargs), "a call")

    def bound_filters(self):
        """Wrap every filter so its arguments and its result are checked."""
        self.filters = {name: bounded_filter(name, function) for name, function in self.filters.items()}


def bounded_filter(name, function):
    """Return a filter that refuses huge arguments or results, keeping the original's pass_* marking."""
    injected = 1 if _PassArg.from_obj(function) is not None else 0
    precheck = FILTER_PRECHECKS.get(name)

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        check_arguments(args[injected:], kwargs)
        if precheck is not None and len(args) > injected:
            precheck(*args[injected:])
        return check_weight(function(*args, **kwargs), f"the filter {name!r}")

    return bounded
