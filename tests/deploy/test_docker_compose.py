"""docker-compose.yml, the Dockerfile and .env.example, checked by reading: no Docker
engine runs here (foundation issue, point 11). No database needed."""

from __future__ import annotations

import ast
import fnmatch
import json
import re
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from django.http.request import validate_host

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY", "POSTGRES_PASSWORD")
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", "web", "worker")
SETTINGS_MODULE = "config.settings.production"
WSGI_TARGET = "config.wsgi:application"


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text) -> dict:
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    # Continuation lines joined, as Docker reads them.
    return (ROOT / "Dockerfile").read_text().replace("\\\n", " ")


def argv(command) -> list[str]:
    return list(command) if isinstance(command, list) else command.split()


def dockerfile_instructions(dockerfile: str, name: str) -> list[str]:
    return [
        line.strip()[len(name) :].strip()
        for line in dockerfile.splitlines()
        if line.strip().upper().startswith(name + " ")
    ]


def dockerfile_cmd(dockerfile: str) -> list[str]:
    (cmd,) = dockerfile_instructions(dockerfile, "CMD")
    return json.loads(cmd)  # exec form: gunicorn is PID 1 and gets the signals


def option(args: list[str], name: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def module_path(dotted: str) -> Path:
    return ROOT.joinpath(*dotted.split(".")).with_suffix(".py")


def defines(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text())
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.ImportFrom):
            if any((alias.asname or alias.name) == name for alias in node.names):
                return True
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


# --- Services and their commands ------------------------------------------------------


def test_services_exist(services):
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_web_runs_gunicorn_with_the_wsgi_application(services):
    args = argv(services["web"]["command"])
    assert args[0] == "gunicorn"
    assert WSGI_TARGET in args
    assert option(args, "--bind") == "0.0.0.0:8000"
    published = [str(port).rsplit(":", 1)[-1] for port in services["web"]["ports"]]
    assert published == ["8000"]


def test_worker_and_beat_run_celery_for_the_config_app(services):
    worker = argv(services["worker"]["command"])
    beat = argv(services["beat"]["command"])
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]


def test_beat_keeps_its_schedule_on_a_named_volume(services):
    schedule = option(argv(services["beat"]["command"]), "--schedule")
    assert schedule == "/var/lib/tvaers/celerybeat-schedule"
    mounts = dict(v.split(":", 1)[::-1] for v in services["beat"]["volumes"])
    assert mounts.get(str(Path(schedule).parent)) == "beat-schedule"


def test_migrate_is_a_one_off_that_migrates(services):
    migrate = services["migrate"]
    assert argv(migrate["command"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_redis_keeps_an_append_only_file(services):
    args = argv(services["redis"]["command"])
    assert option(args, "--appendonly") == "yes"
    assert any(v.endswith(":/data") for v in services["redis"]["volumes"])


# --- The modules the commands name exist ----------------------------------------------


def test_wsgi_module_defines_the_application():
    module, attribute = WSGI_TARGET.split(":")
    path = module_path(module)
    assert path.exists()
    assert defines(path, attribute)


def test_celery_app_module_exists_and_is_found_by_celery_a_config():
    assert defines(ROOT / "config" / "celery.py", "app")
    # `celery -A config` looks for config.celery_app (or config.app).
    assert defines(ROOT / "config" / "__init__.py", "celery_app")


def test_settings_module_is_a_file(services, dockerfile):
    assert module_path(SETTINGS_MODULE).exists()
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == SETTINGS_MODULE
        assert module_path(env["DJANGO_SETTINGS_MODULE"]).exists()
    assert f"DJANGO_SETTINGS_MODULE={SETTINGS_MODULE}" in dockerfile


# --- Health checks, dependencies, volumes ---------------------------------------------


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_have_health_checks(services, name):
    check = services[name]["healthcheck"]
    assert not check.get("disable")
    assert check["test"][0] in ("CMD", "CMD-SHELL")


def test_health_checks_ask_the_right_thing(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    worker = " ".join(services["worker"]["healthcheck"]["test"])
    # `$$`: the container's shell expands HOSTNAME, not compose on the host.
    assert worker.startswith("CMD-SHELL ")
    assert "celery -A config inspect ping -d celery@$$HOSTNAME" in worker


@pytest.mark.parametrize("name", ["migrate", "beat"])
def test_services_without_gunicorn_do_not_inherit_the_http_check(services, name):
    # The image's HEALTHCHECK asks gunicorn on :8000; beat would be "unhealthy" forever.
    assert services[name]["healthcheck"] == {"disable": True}


def test_web_waits_for_its_dependencies(services):
    depends = services["web"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_waits_for_redis_and_the_migrations(services, name):
    depends = services[name]["depends_on"]
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_named_volumes_are_declared_and_used(compose, services):
    declared = set(compose["volumes"])
    used = {
        volume.split(":")[0]
        for service in services.values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/", "~"))
    }
    assert used == declared
    assert {"postgres-data", "redis-data", "beat-schedule"} <= used
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


# --- Environment and secrets ----------------------------------------------------------


def test_app_services_share_the_production_environment(services):
    for name in APP_SERVICES:
        service = services[name]
        env = service["environment"]
        assert service["env_file"] in (".env", [".env"])
        assert env["DATABASE_URL"] == (
            "postgres://tvaers:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
            "@postgres:5432/tvaers"
        )
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    postgres = services["postgres"]["environment"]
    assert (postgres["POSTGRES_USER"], postgres["POSTGRES_DB"]) == ("tvaers", "tvaers")


def test_every_secret_is_required_interpolation(services):
    seen = set()
    for service in services.values():
        for name, value in (service.get("environment") or {}).items():
            if name in SECRETS:
                seen.add(name)
                assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", value), name
    assert seen == set(SECRETS)


def test_no_secret_has_a_literal_value_anywhere(compose_text):
    for name in SECRETS:
        for value in re.findall(rf"(?<![{{\w]){name}\s*[:=]\s*(\S+)", compose_text):
            assert value.startswith("${"), f"{name} has a literal value"
    assert not re.search(r"://[^/\s:@]+:(?!\$\{)[^@\s]+@", compose_text)


def test_dollars_are_interpolations_or_escaped(compose_text):
    # A lone `$` would be interpolated by compose on the host, not in the container.
    text = compose_text.replace("$$", "")
    assert not re.search(r"\$(?!\{[A-Z_][A-Z0-9_]*(:?[?-][^}]*)?\})", text)


def test_env_example_names_every_required_variable(compose_text):
    required = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", compose_text))
    example = (ROOT / ".env.example").read_text()
    present = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, flags=re.M))
    assert set(SECRETS) <= required
    assert required <= present
    for name in SECRETS:  # placeholders only: nobody deploys the example's keys
        assert re.search(rf"^{name}=$", example, flags=re.M), name
    assert "Fernet.generate_key()" in example


# --- The Dockerfile -------------------------------------------------------------------


def test_dockerfile_serves_the_same_application(dockerfile, services):
    (base,) = dockerfile_instructions(dockerfile, "FROM")
    assert base == "python:3.11-slim-bookworm"
    cmd = dockerfile_cmd(dockerfile)
    assert cmd[0] == "gunicorn"
    assert WSGI_TARGET in cmd
    assert option(cmd, "--bind") == "0.0.0.0:8000"
    web = argv(services["web"]["command"])
    assert web[web.index("gunicorn") + 1] == cmd[1] == WSGI_TARGET
    assert dockerfile_instructions(dockerfile, "EXPOSE") == ["8000"]


def test_dockerfile_runs_unprivileged(dockerfile):
    users = dockerfile_instructions(dockerfile, "USER")
    assert users and users[-1] not in ("root", "0")
    assert "useradd --system --uid 10001 --gid tvaers" in dockerfile


def test_dockerfile_installs_the_project_without_dev_extras(dockerfile):
    for library in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libfontconfig1",
        "fonts-dejavu-core",
    ):
        assert library in dockerfile, library
    assert re.search(r"pip install (--no-deps )?\.(\s|$)", dockerfile)
    assert "[dev]" not in dockerfile and " -e " not in dockerfile
    assert "python -m core.i18n_compile" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DATABASE_URL=sqlite:////tmp/build.sqlite3" in dockerfile


def test_dockerfile_copies_every_package_and_the_project_files(dockerfile):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [p.rstrip("*") for p in patterns]
    assert packages and all((ROOT / p).is_dir() for p in packages)
    # Every app of our own is packaged: a new app missing here starts in
    # development (editable install) and fails in the image.
    from django.conf import settings

    ours = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (ROOT / app.split(".")[0]).is_dir()
    }
    assert ours <= set(packages), sorted(ours - set(packages))
    for name in [*packages, "templates", "static", "locale"]:
        assert f"COPY {name} ./{name}" in dockerfile, name
    assert "COPY manage.py ./" in dockerfile
    assert "COPY pyproject.toml README.md ./" in dockerfile


def test_dockerignore_keeps_secrets_out_but_not_what_is_copied(dockerfile):
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = [p for p in lines if p and not p.startswith(("#", "!"))]
    for name in (".env", ".git", ".venv", "var", "staticfiles", ".pytest_cache"):
        assert name in ignored, name
    copied = [
        source
        for instruction in dockerfile_instructions(dockerfile, "COPY")
        for source in instruction.split()[:-1]
    ]
    assert "manage.py" in copied
    for source in copied:
        assert not any(fnmatch.fnmatch(source, p) for p in ignored), source


# --- The web health check sends a host Django accepts ---------------------------------


def healthcheck_code(dockerfile: str, services: dict) -> str:
    (healthcheck,) = dockerfile_instructions(dockerfile, "HEALTHCHECK")
    image_code = re.search(r"CMD python -c '(.+)'$", healthcheck).group(1)
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert test[3] == image_code  # one check, the same in the image and compose
    return image_code


@pytest.mark.parametrize(
    ("allowed_hosts", "expected"),
    [
        ("tvaers.example.dk,other.example.dk", "tvaers.example.dk"),
        (".example.dk", "example.dk"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_web_health_check_asks_healthz_with_an_allowed_host(
    dockerfile, services, allowed_hosts, expected
):
    # Django refuses a Host outside ALLOWED_HOSTS with 400, /healthz included.
    code = healthcheck_code(dockerfile, services)
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers["Host"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        assert "http://127.0.0.1:8000/healthz" in code
        result = subprocess.run(
            [sys.executable, "-c", code.replace("http://127.0.0.1:8000", url)],
            env={"ALLOWED_HOSTS": allowed_hosts},
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert seen == [("/healthz", expected)]
    if allowed_hosts:  # compose requires ALLOWED_HOSTS; empty only must not crash
        assert validate_host(expected, allowed_hosts.split(","))


def test_web_health_check_fails_when_healthz_does(dockerfile, services):
    code = healthcheck_code(dockerfile, services)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(400)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = subprocess.run(
            [sys.executable, "-c", code.replace("http://127.0.0.1:8000", url)],
            env={"ALLOWED_HOSTS": "tvaers.example.dk"},
            capture_output=True,
            timeout=30,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode != 0
