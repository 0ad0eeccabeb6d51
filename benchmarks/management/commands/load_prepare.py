"""Prepare the load test's users (benchmarks/load/prepare.py); the runner calls it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks.load.prepare import load_users_prepare


class Command(BaseCommand):
    help = (
        "Give volume users of each load-test role a known password (LOAD_PASSWORD) "
        "and a TOTP device, and write them to a JSON file. Fictitious data only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--per-role", type=int, default=30)

    def handle(self, *args, out, per_role, **options):
        password = os.environ.get("LOAD_PASSWORD")
        if not password:
            raise CommandError("Set LOAD_PASSWORD (the runner generates one).")
        try:
            data = load_users_prepare(password=password, per_role=per_role)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))
        path.chmod(0o600)
        counts = ", ".join(f"{k} {len(v)}" for k, v in data["users"].items())
        self.stdout.write(f"Load-test users: {counts} -> {path}")
