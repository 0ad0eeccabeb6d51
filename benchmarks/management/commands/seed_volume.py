"""`python manage.py seed_volume --persons N [--seed S] [--reset]`: fictitious data
at scale for the benchmark (benchmarks.volume; docs/performance.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.volume import seed_volume


class Command(BaseCommand):
    help = (
        "Write N fictitious persons with families, concern levels, factors, "
        "timelines, users and object grants across the 11 Vestegn municipalities. "
        "Fictitious data only, for benchmarking; never run it against real data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every person and family (and all that hangs on them) first.",
        )
        parser.add_argument(
            "--yes-i-know",
            action="store_true",
            help="Run with DEBUG off (a benchmark database with production settings).",
        )

    def handle(self, *args, persons, seed, reset, yes_i_know, **options) -> None:
        if not (settings.DEBUG or yes_i_know):
            raise CommandError(
                "seed_volume writes fictitious persons (and with --reset deletes the "
                "real ones); it runs only with DEBUG on or with --yes-i-know."
            )
        try:
            report = seed_volume(
                persons=persons, seed=seed, reset=reset, stdout=self.stdout.write
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
