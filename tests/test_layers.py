"""The house is in layers: the letter domain knows no web and no WeasyPrint, render and batch know no web."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "letterhouse"
WEB = ("flask", "flask_wtf", "werkzeug", "gunicorn", "letterhouse.web", "letterhouse.cli", "letterhouse.bench")
# What each layer may not import, directly or through another module.
FORBIDDEN = {
    "letters": WEB + ("weasyprint", "pypdfium2", "letterhouse.render", "letterhouse.batch"),
    "render": WEB + ("letterhouse.batch",),
    "batch": WEB,
}


def imported_names(path):
    """Return every module a file imports, relative imports resolved."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = module.rsplit(".", node.level)[0] + "." if node.level else ""
            yield base + (node.module or "")


def layer_files(layer):
    return sorted((PACKAGE / layer).rglob("*.py"))


def breaks(name, forbidden):
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    wrong = [f"{path.relative_to(PACKAGE.parent)} imports {name}"
             for path in layer_files(layer) for name in imported_names(path) if breaks(name, FORBIDDEN[layer])]
    assert wrong == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_importing_a_layer_loads_nothing_above_it(layer):
    modules = [".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
               for p in layer_files(layer)]
    script = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
              + "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert [name for name in loaded if breaks(name, FORBIDDEN[layer])] == []
