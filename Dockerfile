# Tværs: one image for web (gunicorn), worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's libraries and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --create-home --home-dir /home/tvaers tvaers \
    && mkdir -p /app /var/lib/tvaers \
    && chown tvaers /var/lib/tvaers
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY core ./core
COPY organisations ./organisations
COPY accounts ./accounts
COPY access ./access
COPY audit ./audit
COPY cases ./cases
COPY families ./families
COPY meetings ./meetings
COPY exitprogram ./exitprogram
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./

RUN pip install . \
    && python -m core.i18n_compile \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       FIELD_ENCRYPTION_KEY=mF0qSmHZb1vKpyl3xJ7cQeVQ2tB6aJX8n6wL2G0rX1Y= \
       python manage.py collectstatic --noinput --verbosity 0

USER tvaers
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "60", "--forwarded-allow-ips", "*", \
     "--access-logfile", "-"]
