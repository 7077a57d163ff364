"""Which process owns a running job, and whether it is still there to finish it."""

import os
import secrets

PROCESS_TOKEN = secrets.token_hex(8)  # tells this process's jobs from those of one that has gone


def this_process():
    """Return the owner name of jobs this process runs: "pid:token"."""
    return f"{os.getpid()}:{PROCESS_TOKEN}"


def owner_alive(owner):
    """Return whether the process that owns a job ("pid:token") is still there."""
    pid, _, token = str(owner).partition(":")
    if token == PROCESS_TOKEN:
        return True
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
