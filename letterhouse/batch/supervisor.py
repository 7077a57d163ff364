"""Keep one runner process beside a server: start it, start it again when it dies, stop it with the server."""

import contextlib
import logging
import os
import signal
import subprocess
import threading

LOGGER = logging.getLogger(__name__)
RESTART_DELAY = 1.0  # seconds before a runner that died is started again
STOP_TIMEOUT = 20


class RunnerSupervisor:
    """Runs a command (the runner) in its own process group and keeps it running until stopped.

    When the runner dies its whole group is killed, so none of its render processes is left behind,
    and a new runner is started; it takes back the batch the dead one was writing.
    """

    def __init__(self, command, environment=None):
        self.command, self.environment = command, environment
        self.process = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.watch, name="letterhouse-runner-supervisor", daemon=True)

    def start(self):
        self.process = self.spawn()
        self.thread.start()

    def spawn(self):
        return subprocess.Popen(self.command, env=self.environment, start_new_session=True)

    def watch(self):
        while not self.stopping.is_set():
            returncode = self.process.wait()
            kill_group(self.process.pid, signal.SIGKILL)  # its forkserver and render processes, if any remain
            if self.stopping.wait(RESTART_DELAY):
                return
            LOGGER.warning("The batch runner stopped (%s); starting another", returncode)
            self.process = self.spawn()

    def stop(self):
        """Stop the runner: TERM (it queues the batch it was writing again), then KILL if it lingers."""
        self.stopping.set()
        if self.process is None:
            return
        kill_group(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        kill_group(self.process.pid, signal.SIGKILL)


def kill_group(pid, sig):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
