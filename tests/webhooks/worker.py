"""Real Celery processes for integration tests: a worker (and beat) started as subprocesses with the test's
environment, pointed at the test database, and stopped (or killed) by the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")

FAST_WEBHOOKS = {
    "TAWASUL_WEBHOOKS_RETRY_DELAYS": "[0.5, 1.5, 3.5]",
    "TAWASUL_WEBHOOKS_TIMEOUT": "20",
    "TAWASUL_WEBHOOKS_CLAIM_SECONDS": "4",
}


def worker_environment(**extra: str) -> dict[str, str]:
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.test",
        "TAWASUL_CELERY_EAGER": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        **FAST_WEBHOOKS,
        **extra,
    }


class CeleryProcess:
    def __init__(self, *args: str, log: Path, env: dict[str, str]) -> None:
        self.args = args
        self.log = log
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> CeleryProcess:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "hub", *self.args],
            cwd=REPO,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes the pool children with it
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acknowledgement, as a crashed host."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def worker(tmp_path: Path, name: str = "worker", *, queues: str = "", **extra: str) -> CeleryProcess:
    """A worker as users start it: without `queues` it consumes every queue (`celery` and `webhooks`)."""
    return CeleryProcess(
        "worker",
        "--loglevel=INFO",
        "--concurrency=2",
        "--without-gossip",
        "--without-mingle",
        f"--hostname={name}-{os.getpid()}@%h",
        *([f"--queues={queues}"] if queues else []),
        log=tmp_path / f"{name}.log",
        env=worker_environment(**extra),
    ).start()


def beat(tmp_path: Path) -> CeleryProcess:
    return CeleryProcess(
        "beat",
        "--loglevel=INFO",
        f"--schedule={tmp_path / 'celerybeat-schedule'}",
        f"--pidfile={tmp_path / 'beat.pid'}",
        log=tmp_path / "beat.log",
        env=worker_environment(),
    ).start()


def wait_until(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
