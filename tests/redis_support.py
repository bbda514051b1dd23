"""A Redis server of the test's own, on a port of its own, that the test may stop and start again.

Tests that need Redis *down* must never stop the machine's Redis (other tests and processes use it); they
start their own copy here and stop only that.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.breaker import redis_breaker

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OwnRedis:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=os.getcwd(),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        # Started again on its port: it answers now, without its breaker's seconds to wait.
                        redis_breaker(self.url).reset()
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def fail_soft_cache(redis: OwnRedis, timeout: float = 0.5) -> dict[str, dict[str, object]]:
    """The portal's cache settings, on ``redis``, with short timeouts so a stopped server answers fast."""
    return {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


@contextmanager
def own_redis_cache(timeout: float = 0.5) -> Iterator[OwnRedis]:
    """A Redis of the test's own as the portal's cache (sessions in the database, as they must be when the
    test stops it); stopped at the end."""
    from django.test import override_settings

    redis = OwnRedis()
    redis.start()
    try:
        cache = fail_soft_cache(redis, timeout)
        with override_settings(CACHES=cache, SESSION_ENGINE="django.contrib.sessions.backends.db"):
            yield redis
    finally:
        redis.stop()
