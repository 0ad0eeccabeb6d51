"""The test suite: SQLite and an in-memory broker unless DATABASE_URL /
CELERY_BROKER_URL point at PostgreSQL and Redis (as .ci/run does)."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/test.sqlite3")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# Every test's connection closes with its request, as before persistent connections:
# the live-server and worker tests share the test database.
os.environ.setdefault("DB_CONN_MAX_AGE", "0")
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", "mF0qSmHZb1vKpyl3xJ7cQeVQ2tB6aJX8n6wL2G0rX1Y="
)
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from .base import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
