"""Mail merge: rows, checking, the pool, outputs, job records and runners. Imports no Flask, nothing from web/.

rows (CSV/JSON -> Rows) -> letter_data (plain data -> a Letter; row_values: a value's words and hints)
-> checking (rows -> checked letters and RowProblems) -> writing (the pool's letters into an output kind
from outputs) -> pool (warm worker processes). job_records keeps jobs on disk, job_runner runs them,
job_owner tells whether a job's process is alive; spreadsheets writes CSV for people.
"""
