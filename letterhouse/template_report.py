"""Check template files for an author: every problem and warning, file by file."""

from pathlib import Path

from .catalog import load_template
from .problems import Problem, TemplateError


def check_file(path, limits):
    """Return every problem and warning of one template file."""
    try:
        return list(load_template(path, limits).warnings)
    except TemplateError as error:
        return list(error.problems)
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(str(path), 1, f"cannot read: {error}")]


def check_files(paths, catalog):
    """Return the problems of the given files, or of every file the catalog reads."""
    files = [Path(p) for p in paths] or list(catalog.template_paths().values())
    return [problem for path in files for problem in check_file(path, catalog.limits)]
