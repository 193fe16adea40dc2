"""A real `mkdocs serve` in a child process, for the tests and the serve-loop benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

MKDOCS = Path(sys.executable).parent / "mkdocs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text, or "" while the server cannot answer yet."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


@contextlib.contextmanager
def mkdocs_serve(project: Path, port: int, *options: str, log: list[str] | None = None) -> Iterator[None]:
    """`mkdocs serve` of `project` on 127.0.0.1:`port` while the block runs; stopped as Ctrl-C stops it.
    Its output is appended to `log` once it has stopped."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen([str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
                                  cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if log is not None:
                output.seek(0)
                log.append(output.read().decode())
