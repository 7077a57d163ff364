"""A client nobody here wrote: schemathesis runs every check against `letterhouse serve`, through every phase
(the document's examples, coverage of each parameter's edges, fuzzing, and stateful runs along its links)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from serving import PROJECT, letterhouse_serve

FUZZING = Path(__file__).resolve().parent / "api_fuzzing"  # its configuration (schemathesis.toml) and hooks
# Three bundled templates keep the run well under a minute (each template's letter is a path of its own);
# together they have integers, choices, dates, required fields with defaults and the envelope rule.
TEMPLATES = ("anniversary", "thank-you", "open-when-older")


def some_templates(root):
    """Copy a few bundled templates, with their examples, into a folder of their own."""
    folder = root / "letter_templates"
    (folder / "examples").mkdir(parents=True)
    for slug in TEMPLATES:
        shutil.copy(PROJECT / "letter_templates" / f"{slug}.jinja", folder)
        shutil.copy(PROJECT / "letter_templates" / "examples" / f"{slug}.json", folder / "examples")
    return folder


def test_schemathesis_finds_nothing_wrong_with_the_api(tmp_path):
    # A letter the schema allows may run to many pages (every field at its longest): the page and time limits,
    # settings the schema cannot express, are raised so that only the contract is tested.
    settings = {"LETTERHOUSE_MAX_PAGES": "80", "LETTERHOUSE_RENDER_TIME_LIMIT": "120"}
    with letterhouse_serve(tmp_path, some_templates(tmp_path), environment=settings) as server:
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(FUZZING / "schemathesis.toml"), "run",
             f"{server.url}/api/v1/openapi.json", "--workers", "1", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(FUZZING), os.environ.get("PYTHONPATH", "")])})
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "passed" in run.stdout and " failed" not in run.stdout
