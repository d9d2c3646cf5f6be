"""A cluster on one machine: gunicorn instances on loopback ports behind HAProxy.

Used by `make cluster-soak` (scripts/cluster_soak.py) and `make bench-cluster`
(bench.cluster_bench). Every process is started here and stopped by its pid; an instance can
be SIGKILLed whole (its master and its workers) and started again on the same port. HAProxy
(Debian's package, installed by scripts/install-debian-package.sh when missing) checks
/api/health/ on every instance and retries a request whose instance died before answering on
another one, as deploy/haproxy.cfg does for docker-compose.yml.
"""

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path

from bench.common import ROOT, free_port, log

HAPROXY_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    option http-buffer-request
    timeout connect 1s
    timeout client 60s
    timeout server 30s
    timeout http-request 10s
    retries 3
    retry-on conn-failure empty-response response-timeout 502 503 504
    option redispatch 1
{http_errors}

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /api/health/ ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A request sent again after it reached an instance (an empty answer, a timeout) could be
    # carried out twice: only a POST with an Idempotency-Key may be; one without is retried
    # only when no connection was made (conn-failure), when it surely did nothing.
    http-request disable-l7-retry if METH_POST !{{ req.hdr(Idempotency-Key) -m found }}
    # A refused connection fails a check at once; a busy instance gets 5 s to answer one.
    timeout check 5s
    default-server check inter {check_ms}ms fall 2 rise 2
{servers}
"""


# HAProxy's own answers (no instance could take the request) are problem+json too.
PROXY_ERRORS = {
    502: "No instance answered; retry in a few seconds.",
    503: "No instance is available; retry in a few seconds.",
    504: "No instance answered in time; retry in a few seconds.",
}


def http_error_lines() -> str:
    lines = []
    for status, detail in PROXY_ERRORS.items():
        body = json.dumps(
            {
                "type": "urn:fintrack:problem:service-unavailable",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": detail,
            }
        )
        lines.append(
            f"    http-error status {status} content-type application/problem+json "
            f"string '{body}' hdr Retry-After 5"
        )
    return "\n".join(lines)


def ensure_haproxy() -> str:
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "install-debian-package.sh"), "haproxy"], check=True
    )
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if not found:
        raise SystemExit("haproxy could not be installed")
    return found


def get_status(port: int, path: str = "/api/health/", timeout: float = 2.0) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status
    except (OSError, http.client.HTTPException):
        return None


class Instance:
    """One gunicorn (a master and its workers) on a fixed loopback port, in the current
    environment (bench_environment plus what the caller set)."""

    def __init__(self, name: str, workers: int, log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.workers = workers
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 60) -> float:
        """Start and wait until /api/health/ answers 200 with every worker up; seconds taken."""
        started = time.monotonic()
        with self.log_path.open("a") as log_file:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "30",
                    "--no-control-socket",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=dict(os.environ),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited at start ({self.log_path})")
            if get_status(self.port) == 200 and len(self.worker_pids()) == self.workers:
                return time.monotonic() - started
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not come up ({self.log_path})")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def kill(self) -> list[int]:
        """SIGKILL the master and every worker at once, as a crashed machine would; the
        listening socket dies with the last of them. Returns the pids killed."""
        assert self.process is not None
        pids = [self.process.pid, *self.worker_pids()]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        for pid in pids[1:]:  # workers are not our children: wait until they are gone
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return pids

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


class HAProxy:
    """HAProxy in the foreground (-db) on a free loopback port, in front of `ports`."""

    def __init__(self, ports: list[int], work_dir: Path, check_ms: int = 1000) -> None:
        self.binary = ensure_haproxy()
        self.port = free_port()
        self.config = work_dir / f"haproxy-{self.port}.cfg"
        servers = "\n".join(
            f"    server app{index} 127.0.0.1:{port}" for index, port in enumerate(ports, 1)
        )
        self.config.write_text(
            HAPROXY_CONFIG.format(
                port=self.port, check_ms=check_ms, servers=servers, http_errors=http_error_lines()
            )
        )
        subprocess.run([self.binary, "-c", "-q", "-f", str(self.config)], check=True)
        self.log_path = work_dir / f"haproxy-{self.port}.log"
        with self.log_path.open("a") as log_file:
            self.process = subprocess.Popen(
                [self.binary, "-db", "-f", str(self.config)],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited at start ({self.log_path})")
            if get_status(self.port) == 200:
                time.sleep(check_ms * 2 / 1000)  # every server through its "rise"
                log(f"HAProxy on 127.0.0.1:{self.port} in front of {ports}")
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("haproxy did not come up")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGUSR1)  # soft stop: finish what is in flight
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
