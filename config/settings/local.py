"""A developer's machine: `make run`. SQLite under var/ and a broker with no server."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/tvaers.sqlite3")
os.environ.setdefault("CELERY_BROKER_URL", "filesystem://")
# Demo-only key (generated once, public): never use it with real data.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", "mF0qSmHZb1vKpyl3xJ7cQeVQ2tB6aJX8n6wL2G0rX1Y="
)
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from .base import *  # noqa: E402

ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]

if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = BASE_DIR / "var" / "celery" / "queue"
    _control = BASE_DIR / "var" / "celery" / "control"
    _queue.mkdir(parents=True, exist_ok=True)
    _control.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        # Broadcast (remote control) messages, else kombu writes ./control.
        "control_folder": str(_control),
        "store_processed": False,
    }

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
