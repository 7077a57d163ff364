"""Mail merge: rows, checking, the pool, outputs, job records. Imports no Flask."""
