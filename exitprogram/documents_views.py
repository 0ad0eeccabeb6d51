"""PLACEHOLDER: replaced by the pages helper this session."""

from django.http import Http404


def figures(request, **kwargs):
    raise Http404


def agreement_pdf(request, **kwargs):
    raise Http404
