"""Pages of the managers' bulk export (issue 7, point 5): the exports page with
the start form, the job page whose progress fragment htmx polls every 2 s until
the job is finished, and the download. Thin: policy → form → service.

* Exports page and start: managers only (403 for anyone else).
* Job page, progress fragment and download: the requester only (404 for anyone
  else, whether or not the job exists). The download needs a recent sign-in
  (accounts.fresh) and is audited as an export (families.bulk_export).
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from access.permissions import acting_agency, require
from accounts.fresh import fresh_authentication_required

from . import bulk_export

RECENT_JOBS = 10


class StartForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, empty_label=None
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


def _exports_page(request, form, *, status=200):
    jobs = list(bulk_export.exports_of(user=request.user)[:RECENT_JOBS])
    return render(
        request,
        "families/bulk/exports.html",
        {"form": form, "jobs": jobs},
        status=status,
    )


@require_GET
def bulk_export_list(request):
    municipalities = bulk_export.export_municipalities(user=request.user)
    require(municipalities.exists())
    return _exports_page(request, StartForm(municipalities=municipalities))


@require_POST
def bulk_export_start(request):
    municipalities = bulk_export.export_municipalities(user=request.user)
    require(municipalities.exists())
    agency = acting_agency(request)
    form = StartForm(request.POST, municipalities=municipalities)
    if not form.is_valid():
        return _exports_page(request, form, status=400)
    job = bulk_export.bulk_export_start(
        actor=request.user,
        agency=agency,
        municipality=form.cleaned_data["municipality"],
    )
    return redirect("families:bulk_export_detail", job_id=job.pk)


@require_GET
def bulk_export_detail(request, job_id):
    """The job page, or (for htmx's poll) only its progress fragment."""
    job = bulk_export.export_for(user=request.user, pk=job_id)
    context = {"job": job, "available": bulk_export.is_available(job)}
    if request.headers.get("HX-Request"):
        return render(request, "families/bulk/partials/_progress.html", context)
    return render(request, "families/bulk/detail.html", context)


@require_GET
@fresh_authentication_required
def bulk_export_download(request, job_id):
    job = bulk_export.export_for(user=request.user, pk=job_id)
    content = bulk_export.bulk_export_download(user=request.user, job=job)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{bulk_export.zip_name(job)}"'
    )
    # The plans name families and young people: never kept by a cache.
    response["Cache-Control"] = "no-store, private"
    return response
