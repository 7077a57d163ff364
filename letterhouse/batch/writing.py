"""Write a checked batch into its output: letters rendered on the pool, added in row order, the file whole or absent."""

import os
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from letterhouse.batch.checking import RowProblem
from letterhouse.batch.manifest import MANIFEST_NAME, Manifest
from letterhouse.batch.outputs import OUTPUT_KINDS, output_kind
from letterhouse.batch.pool import default_jobs, render_in_order, render_task_of


@dataclass
class BatchResult:
    """What a batch wrote: letters, pages, the rows that failed while rendering, its manifest, and how long it took."""

    letters: int = 0
    pages: int = 0
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    manifest: Manifest | None = None

    @property
    def rate(self):
        return self.letters / self.seconds if self.seconds else 0.0


def write_batch(check, out, kind=None, jobs=None, duplex=False, max_pages=None, on_progress=None, time_limit=None):
    """Render every letter of a checked batch into `out`, with its manifest.csv, and return the BatchResult.

    A ZIP or PDF is written under a temporary name and renamed when complete, so a
    file with the final name is always whole.
    """
    kind = OUTPUT_KINDS[kind or output_kind(out)]
    started, result, total = time.monotonic(), BatchResult(), len(check.letters)
    partial = Path(out) if kind.is_directory else Path(f"{out}.part")
    output, manifest = kind.writer(partial, duplex=duplex), Manifest(check.options.own_columns)
    tasks = (render_task_of(item) for item in check.letters)
    try:
        with closing(output):
            rendered_letters = render_in_order(check.template, tasks, jobs or default_jobs(), max_pages, time_limit)
            for done, (item, rendered) in enumerate(zip(check.letters, rendered_letters, strict=True), start=1):
                add_rendered(result, output, manifest, item, rendered)
                if on_progress:
                    on_progress(done, total)
            output.add_manifest(MANIFEST_NAME, manifest.as_bytes())
            result.manifest = manifest
    except BaseException:  # interrupted or failed: leave no half-written file behind
        if partial != Path(out):
            partial.unlink(missing_ok=True)
        raise
    if partial != Path(out):
        os.replace(partial, out)
    result.seconds = time.monotonic() - started
    return result


def add_rendered(result, output, manifest, item, rendered):
    """Add one rendered letter to the output and the manifest, or its failure to the result's problems."""
    if rendered.error:
        result.problems.append(RowProblem(rendered.row, "", rendered.error))
        return
    manifest.add(item, rendered, output.add(rendered))
    result.letters += 1
    result.pages += rendered.page_count
