"""PLACEHOLDER: replaced by the pages helper this session."""
from django.http import Http404


def list_import(request, **kwargs):
    raise Http404


def list_detail(request, **kwargs):
    raise Http404


def row_decide(request, **kwargs):
    raise Http404

