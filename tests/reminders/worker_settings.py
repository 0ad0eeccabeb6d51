"""Settings of the Celery workers the reminders tests start: the test process's own
settings (WORKER_BASE_SETTINGS), plus what a test chooses for its worker through the
environment: the e-mail backend (EMAIL_URL, which config.settings.test overrides
with the in-memory backend) and the one queue the worker and its beat use."""

from __future__ import annotations

import importlib
import os

_base = importlib.import_module(
    os.environ.get("WORKER_BASE_SETTINGS", "config.settings.test")
)
globals().update({k: v for k, v in vars(_base).items() if k.isupper()})

if os.environ.get("EMAIL_URL"):
    globals().update(_base.env.email_url("EMAIL_URL"))
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")

# The worker knows the test kinds as the test process does.
import tests.reminders.kinds  # noqa: E402, F401
