"""Which runner process is writing a job, and whether it is still there to finish it."""

import os
import secrets
import socket

_token = {}  # pid -> token: made in the process that asks, so a forked child never inherits its parent's


def this_process():
    """Return the name of this runner process: "host:pid:token", the token new in every process."""
    pid = os.getpid()
    token = _token.setdefault(pid, secrets.token_hex(8))
    return f"{socket.gethostname()}:{pid}:{token}"


def gone_from_this_host(runner):
    """Return whether a runner named "host:pid:token" ran on this host and its process is no longer there.

    A runner on another host cannot be seen from here: its heartbeat tells instead.
    """
    host, _, rest = str(runner).partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if runner == this_process():
        return False
    return not process_exists(int(pid)) or int(pid) == os.getpid()  # same pid, other token: an earlier life


def process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
