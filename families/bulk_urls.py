"""URLs of the managers' bulk export (included by families.urls)."""

from __future__ import annotations

from django.urls import path

from . import bulk_views

urlpatterns = [
    path("exports/", bulk_views.bulk_export_list, name="bulk_export_list"),
    path("exports/start/", bulk_views.bulk_export_start, name="bulk_export_start"),
    path(
        "exports/<uuid:job_id>/",
        bulk_views.bulk_export_detail,
        name="bulk_export_detail",
    ),
    path(
        "exports/<uuid:job_id>/download/",
        bulk_views.bulk_export_download,
        name="bulk_export_download",
    ),
]
