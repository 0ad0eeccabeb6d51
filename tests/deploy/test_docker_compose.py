"""docker-compose.yml and the Dockerfile, checked by reading: no Docker engine runs
here (foundation issue, point 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY", "POSTGRES_PASSWORD")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command(service: dict) -> str:
    cmd = service["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_services_exist(compose):
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(
        compose["services"]
    )


def test_commands(compose):
    services = compose["services"]
    assert command(services["web"]).startswith("gunicorn config.wsgi:application")
    assert re.match(r"celery -A config worker\b", command(services["worker"]))
    assert re.match(r"celery -A config beat\b", command(services["beat"]))
    assert command(services["migrate"]) == "python manage.py migrate --noinput"


def test_modules_the_commands_name_exist():
    assert (ROOT / "config" / "wsgi.py").exists()
    assert (ROOT / "config" / "celery.py").exists()
    assert (ROOT / "config" / "settings" / "production.py").exists()


@pytest.mark.parametrize("name", ["postgres", "redis", "web", "worker"])
def test_long_running_services_have_health_checks(compose, name):
    assert compose["services"][name]["healthcheck"]["test"]


def test_named_volumes_are_declared(compose):
    declared = set(compose["volumes"])
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used and used <= declared
    assert {"postgres-data", "redis-data", "beat-schedule"} <= used


def test_web_waits_for_its_dependencies(compose):
    depends = compose["services"]["web"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_app_services_run_production_settings_on_postgres_and_redis(compose):
    for name in ("migrate", "web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"


def test_no_secret_has_a_literal_value():
    text = (ROOT / "docker-compose.yml").read_text()
    for name in SECRETS:
        for value in re.findall(rf"^\s*{name}:\s*(\S+)", text, flags=re.M):
            assert value.startswith("${"), f"{name} has a literal value"


def test_dockerfile_serves_the_same_application():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'CMD \["gunicorn", "config.wsgi:application"', dockerfile)
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert "USER tvaers" in dockerfile
    # Every app the settings install is copied into the image.
    from django.conf import settings

    for app in settings.INSTALLED_APPS:
        top = app.split(".")[0]
        if (ROOT / top).is_dir():
            assert f"COPY {top} ./{top}" in dockerfile, top
