"""The load test's runner (benchmarks/load/run.py), without running locust or
gunicorn: the server it would start and the summary it prints."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import run

BASE = {
    "PATH": "/usr/bin",
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DEBUG": "true",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_SSL_REDIRECT": "false",
    "TVAERS_2FA_REQUIRED": "false",
    "ALLOWED_HOSTS": "*",
}


def test_server_runs_the_production_settings_on_loopback():
    env = run.server_env(
        BASE, database_url="postgres://postgres@127.0.0.1:5432/x", secret_key="k" * 50
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["TVAERS_2FA_REQUIRED"] == "true"
    assert env["DATABASE_URL"].endswith("/x")
    # Nothing from the caller relaxes the production settings.
    for relaxed in ("DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert relaxed not in env
    assert "SECURE_SSL_REDIRECT" not in env
    assert env["PATH"] == "/usr/bin"


def test_gunicorn_binds_loopback_only():
    command = run.gunicorn_command(
        port=8123, workers=3, log=Path("var/load/access.log")
    )
    assert command[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--forwarded-allow-ips") + 1] == "127.0.0.1"
    assert "0.0.0.0" not in " ".join(command)  # noqa: S104


def test_locust_runs_headless_and_bounded():
    settings = run.settings_from_env({"LOAD_USERS": "7", "LOAD_SECONDS": "9"})
    command = run.locust_command(
        port=8123, settings=settings, json_file=Path("var/load/locust.json")
    )
    assert "--headless" in command
    assert command[command.index("--users") + 1] == "7"
    assert command[command.index("--run-time") + 1] == "9s"
    assert command[command.index("--host") + 1] == "http://127.0.0.1:8123"
    # locust appends ".json" itself.
    assert command[command.index("--json-file") + 1] == "var/load/locust"


def test_defaults():
    settings = run.settings_from_env({})
    assert (settings["users"], settings["seconds"], settings["workers"]) == (20, 60, 3)
    assert settings["database_url"].endswith("/tvaers_bench")


def test_field_keys_are_those_the_volume_data_was_seeded_with():
    local = (run.BASE_DIR / "config" / "settings" / "local.py").read_text()
    assert f'"{run.LOCAL_FIELD_ENCRYPTION_KEY}"' in local
    assert f'"SECRET_KEY", "{run.LOCAL_FIELD_HASH_KEY}"' in local


def test_percentile_is_nearest_rank_over_the_histogram():
    # 100 responses: 90 at 10 ms, 5 at 20 ms, 4 at 50 ms, 1 at 900 ms.
    times = {"10": 90, "20": 5, "50": 4, "900": 1}
    assert run.percentile(times, 0.50) == 10
    assert run.percentile(times, 0.95) == 20
    assert run.percentile(times, 0.96) == 50
    assert run.percentile(times, 1.0) == 900
    assert run.percentile({}, 0.95) == 0.0


def test_summary_per_kind_and_total():
    stats = [
        {
            "name": "person page",
            "num_requests": 100,
            "num_failures": 0,
            "response_times": {"10": 90, "20": 5, "50": 4, "900": 1},
        },
        {
            "name": "worklist",
            "num_requests": 20,
            "num_failures": 2,
            "response_times": {"30": 20},
        },
    ]
    summary = run.summarize(stats, seconds=60)
    rows = {row["name"]: row for row in summary["rows"]}
    assert rows["person page"]["p95_ms"] == 20
    assert rows["person page"]["p50_ms"] == 10
    assert rows["worklist"]["error_rate"] == 0.1
    assert summary["requests"] == 120
    assert summary["failures"] == 2
    assert summary["error_rate"] == 2 / 120
    assert summary["rps"] == 2.0
    # 120 responses: rank 114 is in the 30 ms bucket (90 + 5 + 20 = 115).
    assert summary["p95_ms"] == 30
    # Logins (PBKDF2, on purpose slow) are set apart from the pages.
    assert summary["pages"]["requests"] == 120
    login = {
        "name": "login: password",
        "num_requests": 5,
        "num_failures": 0,
        "response_times": {"1000": 5},
    }
    with_login = run.summarize([*stats, login], seconds=60)
    assert with_login["pages"]["p95_ms"] == 30
    assert with_login["total"]["max_ms"] == 1000
    table = run.format_summary(summary)
    assert "person page" in table and "total" in table
    assert "error rate 1.67% (2 of 120)" in table
