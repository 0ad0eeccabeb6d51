"""The project's URLs plus the baseline view, for the benchmark's run only
(benchmarks.baseline explains why it is never part of config.urls)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

from . import baseline

benchmark_patterns = (
    [path("baseline/", baseline.person_page, name="baseline")],
    "benchmarks",
)

urlpatterns = [
    *project_urlpatterns,
    path("__benchmark__/", include(benchmark_patterns)),
]
