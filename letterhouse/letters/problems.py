"""Errors as values: a mistake in a template file, pointed at by file and line."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self):
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self):
        return self.severity == "error"


class TemplateError(Exception):
    """A template file that cannot be used, with every problem found in it."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class LetterRefused(ValueError):
    """A letter that cannot be written out, with a message for the person who asked for it."""


class LetterBodyFailed(LetterRefused):
    """A template body that raised while writing a letter: the author's mistake, shown at its line."""

    def __init__(self, problem):
        super().__init__(f"This letter's template has a mistake, so it cannot be written now: {problem}")
        self.problem = problem
