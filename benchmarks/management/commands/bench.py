"""`python manage.py bench [--persons 5000,50000] [--repeat 30] [--json PATH]`: the
page benchmark against the configured database (docs/performance.md)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benchmarks.plans import time_plan_pdf
from benchmarks.scenarios import (
    data_size,
    format_table,
    growth,
    machine,
    rows_as_dicts,
    run_scenarios,
)
from benchmarks.volume import seed_volume


class Command(BaseCommand):
    help = (
        "Time each page scenario against the bare-Django baseline (median, p95, "
        "queries, ratio). With --persons 5000,50000: re-seed the database with "
        "fictitious data for each size in turn and print the growth."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--persons",
            default="",
            help="Comma-separated sizes; each re-seeds the database (seed_volume "
            "--reset) before measuring. Empty: measure the data as it is.",
        )
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument(
            "--only", default="", help="Comma-separated scenario keys to run."
        )
        parser.add_argument(
            "--json",
            default=str(settings.BASE_DIR / "var" / "bench" / "results.json"),
        )
        parser.add_argument("--yes-i-know", action="store_true")

    def handle(self, *args, **options) -> None:
        sizes = [int(n) for n in options["persons"].split(",") if n.strip()]
        if sizes and not (settings.DEBUG or options["yes_i_know"]):
            raise CommandError(
                "--persons re-seeds the database with fictitious data (deleting the "
                "persons in it); it runs only with DEBUG on or with --yes-i-know."
            )
        only = [k for k in options["only"].split(",") if k]
        # The benchmark logs its users in on every run: not worth a log line each.
        logging.getLogger("axes").setLevel(logging.WARNING)
        say = self.stdout.write
        result = {
            "when": timezone.now().isoformat(timespec="seconds"),
            "machine": machine(),
            "repeat": options["repeat"],
            "warmup": options["warmup"],
            "runs": [],
        }
        say(f"Machine: {result['machine']}")
        for size in sizes or [None]:
            seeding = None
            if size is not None:
                say(f"Seeding {size:,} persons (seed {options['seed']}) …")
                report = seed_volume(persons=size, seed=options["seed"], reset=True)
                seeding = round(report.seconds, 1)
                for line in report.lines():
                    say(f"  {line}")
            counts = data_size()
            say(f"Measuring at {counts['persons']:,} persons …")
            rows, ctx = run_scenarios(
                repeat=options["repeat"],
                warmup=options["warmup"],
                only=only,
                say=say,
            )
            # The plan PDF is timed at the service (benchmarks.plans): a
            # rendering against its own 2 s target, not a page against the
            # baseline.
            pdf = None
            if not only or "plan_pdf" in only:
                pdf = time_plan_pdf(repeat=options["repeat"], warmup=options["warmup"])
            say("")
            say(format_table(rows))
            if pdf is not None:
                say(pdf.line())
            say("")
            result["runs"].append(
                {
                    "plan_pdf": pdf.as_dict() if pdf is not None else None,
                    "data": counts,
                    "seed_seconds": seeding,
                    "visible": {
                        "ssp": ctx.ssp_visible,
                        "police": ctx.police_visible,
                    },
                    "scenarios": rows_as_dicts(rows),
                    "_rows": rows,
                }
            )
        if len(result["runs"]) > 1:
            first, last = result["runs"][0], result["runs"][-1]
            result["growth"] = {
                "from_persons": first["data"]["persons"],
                "to_persons": last["data"]["persons"],
                "scenarios": growth(first["_rows"], last["_rows"]),
            }
            say(
                f"Growth {first['data']['persons']:,} → {last['data']['persons']:,} "
                "persons (median ratio; flat is 1.0; corrected: divided by the "
                "machine probe's ratio):"
            )
            for key, g in result["growth"]["scenarios"].items():
                say(
                    f"  {key:<22} {g['median_ratio']:>5.2f}×   machine "
                    f"{g['probe_ratio']:>5.2f}×   corrected "
                    f"{g['corrected_ratio']:>5.2f}×   baseline "
                    f"{g['baseline_ratio']:>5.2f}×   queries "
                    f"{g['queries'][0]} → {g['queries'][1]}"
                )
            pdfs = [first["plan_pdf"], last["plan_pdf"]]
            if all(p and not p["skipped"] for p in pdfs):
                result["growth"]["plan_pdf"] = {
                    "median_ratio": pdfs[1]["median_ms"] / pdfs[0]["median_ms"],
                    "queries": [pdfs[0]["queries"], pdfs[1]["queries"]],
                }
                g = result["growth"]["plan_pdf"]
                say(
                    f"  {'plan_pdf':<22} {g['median_ratio']:>5.2f}×   (rendering)"
                    f"       queries {g['queries'][0]} → {g['queries'][1]}"
                )
        for run in result["runs"]:
            del run["_rows"]
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, default=str) + "\n")
        say(f"Results written to {path}")
