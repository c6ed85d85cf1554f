"""Run the app for real: `make serve` (or a bare gunicorn) on a free loopback port, over HTTP.

``AppServer.start(...)`` launches a command in its own process group with its output in a log
file, waits (bounded) until /healthz answers, and ``stop()`` ends the whole group: gunicorn's
master and workers, and make. ``get``/``post`` speak plain HTTP with http.client, so the test
sees exactly the status, headers and cookies that gunicorn sends, with no redirects followed.
``postgres_database`` creates a throw-away database on the test run's PostgreSQL server.
"""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from .production import ROOT

VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_alive(group: int) -> bool:
    """Whether any live (not zombie) process is left in a process group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def cookies(self) -> dict[str, dict]:
        """Each Set-Cookie by name: its value and its attributes, lower-cased."""
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value, *attributes = [part.strip() for part in rest.split(";")]
            flags = {}
            for attribute in attributes:
                key, _, setting = attribute.partition("=")
                flags[key.lower()] = setting or True
            found[name.strip()] = {"value": value, **flags}
        return found


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.port}"

    @classmethod
    def start(cls, command: list[str], *, env: dict, port: int, log_path: Path, ready_within: float):
        log = open(log_path, "wb")  # noqa: SIM115 (closed when the process is stopped)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        server = cls(port=port, process=process, log_path=log_path)
        server._log = log
        try:
            server.wait_until_ready(ready_within)
        except BaseException:
            server.stop()
            raise
        return server

    def wait_until_ready(self, within: float) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.get("/healthz", timeout=2).status == 200:
                    return
            time.sleep(0.25)
        raise TimeoutError(f"the server did not answer /healthz within {within} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """End the process group we started (make, gunicorn's master and its workers)."""
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=25)
        # make may exit before gunicorn has finished: wait for the whole group, then insist.
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline and group_alive(group):
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def request(self, method, path, *, headers=None, body=None, timeout=15) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)


@contextlib.contextmanager
def postgres_database(settings_dict: dict):
    """A new, empty database on the same server as ``settings_dict``; dropped afterwards."""
    import psycopg

    name = f"test_gunicorn_{secrets.token_hex(4)}"
    params = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 10,
        "autocommit": True,
    }
    admin = psycopg.connect(**params)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        password = f":{params['password']}" if params["password"] else ""
        url = f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
        yield url, name, admin
    finally:
        with contextlib.suppress(psycopg.Error):
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
