"""PLACEHOLDER: replaced by the pages helper this session."""
from django.http import Http404


def calendar_feed(request, **kwargs):
    raise Http404


def minutes_pdf(request, **kwargs):
    raise Http404

