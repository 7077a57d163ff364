"""Mail merge: rows, checking, the pool, outputs, job records and runners. Imports no Flask, nothing from web/.

rows (CSV/JSON -> Rows) -> letter_data (plain data -> a Letter; row_values: a value's words and hints)
-> checking (rows -> checked letters and RowProblems) -> writing (the pool's letters into an output kind
from outputs) -> pool (warm worker processes). job_records keeps jobs in a database (job_tables) and their
files in a results folder; job_runner runs them (local_worker and supervisor: one runner per server;
chunks and celery_tasks: in chunks on Celery workers); job_owner names the runner process holding a job;
pdf_join joins letters into one PDF as they come; spreadsheets writes CSV for people.
"""
