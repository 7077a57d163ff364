"""A batch written as chunks of rows by any number of workers: each chunk's letters to files, the last one assembling.

Writing a chunk is idempotent: its letters are written afresh over any a dead worker left, then a
list of them (ordinal, row, file name, pages, error, recipient, own columns) is written atomically, then the chunk is
recorded once. Whichever worker finds every chunk recorded assembles the result in row order,
one letter read at a time, under a name of its own that is renamed into place, so two assembling
at once still leave one whole result holding every letter exactly once.
"""

import json
import logging
import math
import os
import secrets
import shutil
from contextlib import closing

from letterhouse.batch.chunk_records import chunk_done, mark_running
from letterhouse.batch.job_runner import checked_batch, failure_message
from letterhouse.batch.job_tables import UNFINISHED
from letterhouse.batch.manifest import MANIFEST_NAME, Manifest, keep_manifest
from letterhouse.batch.options import BatchOptions
from letterhouse.batch.outputs import OUTPUT_KINDS
from letterhouse.batch.pool import RenderedLetter, render_task_of, rendered_letter

LOGGER = logging.getLogger(__name__)
CHUNK_ROWS = 20  # letters per task: small enough to share a batch among workers, large enough to be worth a task


def chunk_count(job):
    return math.ceil(job.valid / CHUNK_ROWS)


def letters_folder(store, job):
    return store.folder(job.id) / "letters"


class Cancelled(Exception):
    """The job was cancelled while this chunk was written: stop, and leave nothing behind."""


def write_chunk(store, catalog, settings, job_id, chunk):
    """Write one chunk of a job's letters, and assemble the result when it is the last; failures are recorded.

    The record's state is read before each letter: a cancelled job's chunk stops and removes what it wrote.
    """
    job = store.get(job_id)
    if job is None or job.state not in UNFINISHED:
        return  # removed, failed, done or cancelled already: a redelivered task has nothing to do
    mark_running(store, job)
    try:
        letters = chunk_letters(store, job, catalog.usable_template(job.slug), chunk)
        entries = [written_letter(store, job, item, settings) for item in letters]
        replace_file(letters_folder(store, job) / f"chunk-{chunk:05d}.json", json.dumps(entries).encode())
        if chunk_done(store, job, chunk, sum(1 for entry in entries if not entry[4])) == chunk_count(job):
            assemble(store, job)
    except Cancelled:
        pass
    except Exception as error:  # the job records the failure; the worker goes on to the next task
        if not store.is_cancelled(job.id):  # cancelled, its files went from under it: not a failure
            LOGGER.exception("Batch %s failed in chunk %s", job.id, chunk)
            record_failure(store, job, error)
    store.discard_if_cancelled(job.id)  # cancelled while this chunk was written: nothing it wrote is kept


def record_failure(store, job, error):
    """Record a chunk's job as failed, once, and remove its rows."""
    job.state, job.message = "failed", failure_message(error)
    if store.finish(job):
        store.remove_personal_data(job)


def chunk_letters(store, job, template, chunk):
    """Return the chunk's checked letters: only those are made into Letters, unless the template has changed."""
    start, stop = chunk * CHUNK_ROWS, (chunk + 1) * CHUNK_ROWS
    letters = store.checked_letters(job, template, start, stop) if template.digest == job.digest else None
    return letters if letters is not None else checked_batch(store, job, template).letters[start:stop]


def written_letter(store, job, item, settings):
    """Write one checked letter to its file; return [ordinal, row, file name, pages, error, recipient, own columns].

    :raise Cancelled: when the job was cancelled before this letter was begun.
    """
    if store.is_cancelled(job.id):
        raise Cancelled(job.id)
    rendered = rendered_letter(item.letter, render_task_of(item), settings.max_pages, settings.time_limit)
    if not rendered.error:
        replace_file(letters_folder(store, job) / f"{rendered.ordinal:06d}.pdf", rendered.pdf)
    return [rendered.ordinal, rendered.row, rendered.filename, rendered.page_count, rendered.error,
            item.letter.values["recipient_name"], item.own]


def replace_file(path, data):
    """Write a file whole under a name of its own, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def assemble(store, job):
    """Join every chunk's letters into the job's ZIP or PDF in row order, with manifest.csv, and record the job done."""
    folder = letters_folder(store, job)
    entries = sorted(entry for chunk in range(chunk_count(job))
                     for entry in json.loads((folder / f"chunk-{chunk:05d}.json").read_text()))
    out = store.result_path(job)
    partial = out.with_name(f"{out.name}.{secrets.token_hex(4)}.part")
    problems, letters, pages = [], 0, 0
    manifest = Manifest(BatchOptions.from_dict(job.options).own_columns)
    with closing(OUTPUT_KINDS[job.output].writer(partial, duplex=job.duplex)) as output:
        for ordinal, row, filename, page_count, error, recipient, own in entries:
            if error:
                problems.append([row, "", error])
                continue
            pdf = (folder / f"{ordinal:06d}.pdf").read_bytes()
            first_page = output.add(RenderedLetter(ordinal, row, filename, pdf, page_count))
            manifest.add_entry(row, filename, recipient, page_count, first_page, own)
            letters, pages = letters + 1, pages + page_count
        output.add_manifest(MANIFEST_NAME, manifest.as_bytes())
    os.replace(partial, out)
    keep_manifest(store.manifest_path(job), manifest)
    job.state, job.letters, job.pages, job.done = "done", letters, pages, letters
    job.render_problems = problems
    if store.finish(job):
        store.remove_personal_data(job)
        shutil.rmtree(folder, ignore_errors=True)
    # else it had ended already: done by another assembler (its result is this one's), or cancelled (discarded)

