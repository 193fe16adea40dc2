"""Run one function in a second process while this one goes on, where that is safe.

MkDocs uses one core. A forked child inherits the loaded dataset and the renderer without copying
or pickling them, does its share of the work, and sends back only its result. Where fork is unsafe
or missing (a process with other threads, such as `mkdocs serve`, or a system without fork), the
function simply runs here when its result is asked for: the same result, only not in parallel.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class BackgroundFailed(Exception):
    pass


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def _run(send: Connection, function: Callable[[], Any]) -> None:
    try:
        send.send((True, function()))
    except BaseException:  # everything goes back to the parent, which fails the build
        send.send((False, traceback.format_exc()))
    finally:
        send.close()


class Background:
    def __init__(self, function: Callable[[], Any]):
        self._function = function
        self._process = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(send, function), name="tracker-background", daemon=True)
            self._process.start()
            send.close()

    @property
    def forked(self) -> bool:
        return self._process is not None

    def result(self) -> Any:
        """Wait for the function's result; a failure in the child raises BackgroundFailed with its traceback."""
        if self._process is None:
            return self._function()
        try:
            succeeded, value = self._receive.recv()
        except EOFError:
            succeeded, value = False, None
        finally:
            self._receive.close()
            self._process.join()
        if not succeeded:
            raise BackgroundFailed(value or f"the second process ended with exit code {self._process.exitcode}")
        return value
