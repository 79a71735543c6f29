"""`scripts/serve`, the web process: gunicorn with jemalloc preloaded into its workers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.processes import children_of, free_port
from tests.integration.conftest import REPO, unavailable

SERVE = REPO / "scripts" / "serve"
pytestmark = pytest.mark.integration


def _jemalloc_installed() -> bool:
    found = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    return "libjemalloc.so.2 " in found


def _serve(mode: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "TAWASUL_JEMALLOC": mode, "DJANGO_SETTINGS_MODULE": "hub.settings.embedded"}
    env.pop("LD_PRELOAD", None)
    log = (tmp_path / f"serve-{mode}.log").open("wb")
    process = subprocess.Popen(
        [str(SERVE), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, port


def _answer(port: int, timeout: float = 60) -> tuple[int, dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/messages/", timeout=5)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        else:
            raise AssertionError("an unauthenticated request was answered 2xx")


def _maps_jemalloc(pid: int) -> bool:
    return "libjemalloc.so.2" in Path(f"/proc/{pid}/maps").read_text()


def _frozen(log: Path, workers: list[int], timeout: float = 60) -> dict[int, int]:
    """Objects each worker froze after loading the application, as logged by hub/gunicorn.py (a worker may log
    after another one has answered)."""
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text()
        frozen = {int(pid): int(count) for pid, count in re.findall(r"Worker (\d+) froze (\d+) objects", text)}
        if set(workers) <= set(frozen) or time.monotonic() > deadline:
            return frozen
        time.sleep(0.3)


@pytest.mark.parametrize("mode", ["require", "off"])
def test_serve_workers_answer_with_the_chosen_allocator(mode: str, tmp_path: Path):
    if not _jemalloc_installed():
        unavailable("jemalloc (libjemalloc2; `scripts/services up jemalloc`)")
    process, port = _serve(mode, tmp_path)
    try:
        status, body = _answer(port)
        assert status == 401 and body["code"] == "not_authenticated"
        workers = children_of(process.pid)
        assert len(workers) == 2, (tmp_path / f"serve-{mode}.log").read_text()
        assert all(_maps_jemalloc(pid) == (mode == "require") for pid in workers)
        # hub/gunicorn.py: each worker froze the loaded application out of the cycle collector's way
        frozen = _frozen(tmp_path / f"serve-{mode}.log", workers)
        assert set(frozen) == set(workers) and min(frozen.values()) > 100_000, frozen
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_refuses_without_jemalloc_when_required(tmp_path: Path):
    env = {**os.environ, "TAWASUL_JEMALLOC": "require", "TAWASUL_JEMALLOC_PATH": str(tmp_path / "missing.so")}
    done = subprocess.run([str(SERVE), "--version"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "jemalloc (libjemalloc.so.2) not found" in done.stderr


def test_serve_refuses_an_unknown_mode():
    env = {**os.environ, "TAWASUL_JEMALLOC": "sometimes"}
    done = subprocess.run([str(SERVE), "--version"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "must be auto, require or off" in done.stderr
