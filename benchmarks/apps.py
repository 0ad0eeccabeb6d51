from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """No models and no user-facing text: management commands for developers."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
