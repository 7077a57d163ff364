"""A batch's status as the API shows it and its callback sends it: state, counts, times, row errors, metadata, links."""

import datetime

from letterhouse.batch.job_tables import UNFINISHED


def job_status(job, status_url):
    """Return a job as JSON-ready data; its result and manifest are at status_url + "/result" and "/manifest".

    :param status_url: the batch's own address, as the client reaches it (relative in the API, absolute in a callback)
    """
    status = {"id": job.id, "template": job.slug, "state": job.state, "rows": job.total,
              "letters_to_write": job.valid, "done": job.done, "progress": round(job.progress, 3),
              "letters": job.letters, "pages": job.pages, "output": job.output, "message": job.message,
              "row_errors": [problem.as_dict() for problem in job.row_problems], "metadata": job.studio_metadata,
              "status_url": status_url, "created": utc_text(job.created), "started": utc_text(job.started),
              "finished": utc_text(job.finished), "expires": utc_text(removal_time(job))}
    if job.state == "done":
        status.update(result_url=f"{status_url}/result", manifest_url=f"{status_url}/manifest")
    return status


def removal_time(job):
    """Return when a job will be removed: none is known while it is written (it is kept until it has ended)."""
    return None if job.state in UNFINISHED else job.expires


def utc_text(moment):
    """Return an aware datetime as ISO 8601 in UTC to the second, like 2026-06-15T09:30:00Z; None stays None."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
