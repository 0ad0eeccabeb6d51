"""The load test's runner: `python -m benchmarks.load` (what `make load` calls).

1. Gives the load users (benchmarks/load/prepare.py, `manage.py load_prepare`) a
   throwaway password and TOTP devices, in the database DATABASE_URL names (the
   seeded benchmark database: fictitious data only).
2. Starts gunicorn with config.settings.production on a free port of 127.0.0.1, as
   docker-compose.yml starts it (same flags, WEB_CONCURRENCY workers, default 3),
   and waits for /healthz.
3. Runs locust headless (benchmarks/load/locustfile.py) for LOAD_SECONDS (60) with
   LOAD_USERS (20) concurrent users, started LOAD_SPAWN_RATE (5) a second.
4. Stops gunicorn, prints requests/s, p50/p95 per request kind and the error rate,
   and writes var/load/results.json. Exits non-zero when a request failed.

The server's environment is loopback-only: the production settings unchanged, a
throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1. The field keys are those of
config/settings/local.py (public demo keys), because seed_volume, run with the local
settings, encrypted and hashed the data set with them; a different key would make
every CPR number unreadable. Secure cookies, HSTS and the HTTPS redirect stay on: the
locust users send `X-Forwarded-Proto: https` as the TLS-terminating proxy does
(docs/deploying.md, section 4), so the app runs exactly as behind the proxy.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import signal
import socket
import subprocess  # noqa: S404 - starts gunicorn and locust, fixed argument lists
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
OUT_DIR = BASE_DIR / "var" / "load"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tvaers_bench"
# The keys seed_volume wrote the data with (config/settings/local.py; public demo
# values, tests/benchmarks/test_load_config.py checks that they still match).
LOCAL_FIELD_ENCRYPTION_KEY = "mF0qSmHZb1vKpyl3xJ7cQeVQ2tB6aJX8n6wL2G0rX1Y="
LOCAL_FIELD_HASH_KEY = "local-development-only-not-secret"


def settings_from_env(environ: dict[str, str]) -> dict:
    """The run's parameters: LOAD_USERS, LOAD_SECONDS, LOAD_SPAWN_RATE,
    WEB_CONCURRENCY and DATABASE_URL, with their defaults."""
    users = int(environ.get("LOAD_USERS") or 20)
    return {
        "users": users,
        "seconds": int(environ.get("LOAD_SECONDS") or 60),
        "spawn_rate": float(environ.get("LOAD_SPAWN_RATE") or 5),
        "workers": int(environ.get("WEB_CONCURRENCY") or 3),
        "database_url": environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
    }


def server_env(
    base: dict[str, str], *, database_url: str, secret_key: str
) -> dict[str, str]:
    """The environment of gunicorn and of `manage.py load_prepare`: the production
    settings on loopback. Nothing from `base` that configures Django survives
    except what the run sets here (PATH and the like do)."""
    env = {
        k: v
        for k, v in base.items()
        if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "TVAERS_"))
        and k not in {"DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        FIELD_ENCRYPTION_KEY=LOCAL_FIELD_ENCRYPTION_KEY,
        FIELD_HASH_KEY=LOCAL_FIELD_HASH_KEY,
        ALLOWED_HOSTS=HOST,
        TVAERS_2FA_REQUIRED="true",
        # Tasks (none expected from these pages) go to a Redis database of their own.
        CELERY_BROKER_URL=base.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/15"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def gunicorn_command(*, port: int, workers: int, log: Path) -> list[str]:
    """gunicorn as docker-compose.yml runs it, bound to loopback only."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        # Only the load generator on loopback talks to it, as only the proxy would.
        "--forwarded-allow-ips",
        HOST,
        "--access-logfile",
        str(log),
        "--access-logformat",
        "%(t)s %(m)s %(U)s %(s)s %(b)s %(L)ss",
    ]


def locust_command(*, port: int, settings: dict, json_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://{HOST}:{port}",
        "--users",
        str(settings["users"]),
        "--spawn-rate",
        str(settings["spawn_rate"]),
        "--run-time",
        f"{settings['seconds']}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--json-file",
        str(json_file.with_suffix("")),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def warm_up(port: int, workers: int) -> None:
    """A few unauthenticated page loads, so that each worker has imported its views
    and compiled the login template before the clock runs."""
    for _ in range(4 * workers):
        request = urllib.request.Request(  # noqa: S310
            f"http://{HOST}:{port}/login/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()


def wait_healthy(port: int, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://{HOST}:{port}/healthz"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")
        time.sleep(0.3)


# --- The summary ---------------------------------------------------------------------


def percentile(response_times: dict, share: float) -> float:
    """Nearest-rank percentile of locust's histogram of response times
    ({rounded milliseconds: count}; keys may be strings after JSON)."""
    points = sorted((float(ms), int(n)) for ms, n in response_times.items())
    total = sum(n for _ms, n in points)
    if not total:
        return 0.0
    rank = max(1, -(-int(round(share * 100)) * total // 100))
    seen = 0
    for ms, n in points:
        seen += n
        if seen >= rank:
            return ms
    return points[-1][0]


def summarize(stats: list[dict], *, seconds: float) -> dict:
    """Per request kind (locust's name) and in total: requests, failures, requests/s,
    p50, p95, max; the error rate is failures over requests."""
    rows = []
    total_times: dict[float, int] = {}
    total_requests = total_failures = 0
    for entry in sorted(stats, key=lambda e: e["name"]):
        requests, failures = entry["num_requests"], entry["num_failures"]
        times = entry["response_times"]
        for ms, n in times.items():
            total_times[float(ms)] = total_times.get(float(ms), 0) + int(n)
        total_requests += requests
        total_failures += failures
        rows.append(_row(entry["name"], requests, failures, times, seconds))
    total = _row("total", total_requests, total_failures, total_times, seconds)
    pages = _row(
        "pages (without login)",
        *_sums([e for e in stats if not e["name"].startswith("login")]),
        seconds,
    )
    return {
        "rows": rows,
        "pages": pages,
        "total": total,
        "requests": total_requests,
        "failures": total_failures,
        "error_rate": total["error_rate"],
        "rps": total["rps"],
        "p95_ms": total["p95_ms"],
    }


def _sums(stats: list[dict]) -> tuple[int, int, dict]:
    times: dict[float, int] = {}
    for entry in stats:
        for ms, n in entry["response_times"].items():
            times[float(ms)] = times.get(float(ms), 0) + int(n)
    requests = sum(e["num_requests"] for e in stats)
    return requests, sum(e["num_failures"] for e in stats), times


def _row(name: str, requests: int, failures: int, times: dict, seconds: float):
    return {
        "name": name,
        "requests": requests,
        "failures": failures,
        "error_rate": failures / requests if requests else 0.0,
        "rps": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max((float(ms) for ms in times), default=0.0),
    }


def format_summary(summary: dict) -> str:
    header = (
        f"{'request':<28} {'count':>6} {'fail':>5} {'req/s':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in [*summary["rows"], summary["pages"], summary["total"]]:
        if row is summary["pages"]:
            lines.append("-" * len(header))
        lines.append(
            f"{row['name']:<28} {row['requests']:>6} {row['failures']:>5} "
            f"{row['rps']:>6.1f} {row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} "
            f"{row['max_ms']:>7.0f}"
        )
    lines.append(
        f"error rate {summary['error_rate']:.2%} "
        f"({summary['failures']} of {summary['requests']})"
    )
    return "\n".join(lines)


# --- The run -------------------------------------------------------------------------


def _manage(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    settings = settings_from_env(dict(os.environ))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    env = server_env(
        dict(os.environ),
        database_url=settings["database_url"],
        secret_key=secrets.token_urlsafe(50),
    )
    users_file = OUT_DIR / "users.json"
    print(f"Load test: {settings['users']} users, {settings['seconds']} s")
    _manage(
        ["load_prepare", "--out", str(users_file), "--per-role", "30"],
        {**env, "LOAD_PASSWORD": password},
    )

    port = free_port()
    log = OUT_DIR / "gunicorn-access.log"
    server_log = (OUT_DIR / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        gunicorn_command(port=port, workers=settings["workers"], log=log),
        cwd=BASE_DIR,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    stats_file = OUT_DIR / "locust.json"
    try:
        wait_healthy(port)
        warm_up(port, settings["workers"])
        print(f"gunicorn: {settings['workers']} workers on {HOST}:{port}")
        locust_env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DATABASE_URL"}
        }
        locust_env.update(LOAD_USERS_FILE=str(users_file), LOAD_PASSWORD=password)
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            locust_command(port=port, settings=settings, json_file=stats_file),
            cwd=BASE_DIR,
            env=locust_env,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        _stop(server)
        server_log.close()

    stats = json.loads(stats_file.read_text())
    summary = summarize(stats, seconds=settings["seconds"])
    print()
    print(format_summary(summary))
    result = {
        "settings": {k: v for k, v in settings.items() if k != "database_url"},
        "database": settings["database_url"].rsplit("/", 1)[-1],
        "wall_seconds": round(elapsed, 1),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        **summary,
    }
    out = OUT_DIR / "results.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"\n{out.relative_to(BASE_DIR)}; server log: var/load/gunicorn.log")
    return 1 if summary["failures"] or not summary["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
