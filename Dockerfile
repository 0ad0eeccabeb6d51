# Tværs: one image for web (gunicorn), worker, beat and migrate (docker-compose.yml).
FROM python:3.11-slim-bookworm

# PYTHONPATH: every process (gunicorn, celery, manage.py) imports the project from /app,
# beside templates/, static/, locale/ and staticfiles/, never the copy `pip install .`
# puts in site-packages. WEB_CONCURRENCY: gunicorn's worker count (override in .env).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

# WeasyPrint's libraries (HarfBuzz-Subset: smaller PDFs, and required by future
# WeasyPrint versions) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user; /var/lib/tvaers holds beat's schedule (a named volume).
RUN groupadd --system --gid 10001 tvaers \
    && useradd --system --uid 10001 --gid tvaers --create-home --home-dir /home/tvaers \
        --shell /usr/sbin/nologin tvaers \
    && mkdir -p /app /var/lib/tvaers \
    && chown tvaers:tvaers /var/lib/tvaers
WORKDIR /app

# Dependencies first (from pyproject.toml, without the dev extras), so that a code change
# does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY config ./config
COPY core ./core
COPY organisations ./organisations
COPY accounts ./accounts
COPY access ./access
COPY audit ./audit
COPY cases ./cases
COPY timeline ./timeline
COPY reminders ./reminders
COPY inbox ./inbox
COPY families ./families
COPY conversations ./conversations
COPY meetings ./meetings
COPY exitprogram ./exitprogram
COPY benchmarks ./benchmarks
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./

# The project itself (non-editable), the translation catalogues, and the static files.
# The secrets below exist for this build step only: collectstatic needs settings that
# load, not a database or real keys. The image holds no secret.
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info \
    && python -m core.i18n_compile \
    && SECRET_KEY=build-only-not-a-secret \
       FIELD_ENCRYPTION_KEY=mF0qSmHZb1vKpyl3xJ7cQeVQ2tB6aJX8n6wL2G0rX1Y= \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       DJANGO_SETTINGS_MODULE=config.settings.production \
       python manage.py collectstatic --noinput --verbosity 0 \
    && rm -f /tmp/build.sqlite3

USER tvaers
EXPOSE 8000

# The Host header is the first of ALLOWED_HOSTS: Django answers no other host, not even
# on /healthz. Plain HTTP is fine: /healthz is exempt from the HTTPS redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c 'import os, urllib.request as r; h = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip("*.") or "localhost"; r.urlopen(r.Request("http://127.0.0.1:8000/healthz", headers={"Host": h}), timeout=4)'

# Behind a TLS-terminating proxy (docs/deploying.md). The access log has no query
# strings, referrers or client addresses: only method, path (UUIDs), status, time.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--timeout", "60", "--forwarded-allow-ips", "*", \
     "--access-logfile", "-", "--access-logformat", "%(t)s %(m)s %(U)s %(s)s %(b)s %(L)ss"]
