"""PLACEHOLDER: replaced by the pages helper this session."""

from django.http import Http404


def dashboard(request, **kwargs):
    raise Http404


def refer(request, **kwargs):
    raise Http404


def reports(request, **kwargs):
    raise Http404


def report_record(request, **kwargs):
    raise Http404


def measures(request, **kwargs):
    raise Http404


def measure_status(request, **kwargs):
    raise Http404


def measure_remove(request, **kwargs):
    raise Http404


def case_detail(request, **kwargs):
    raise Http404


def case_step(request, **kwargs):
    raise Http404


def police_mapping(request, **kwargs):
    raise Http404


def municipal_mapping(request, **kwargs):
    raise Http404


def clarification(request, **kwargs):
    raise Http404


def follow_up(request, **kwargs):
    raise Http404


def mentors(request, **kwargs):
    raise Http404


def mentor_sessions(request, **kwargs):
    raise Http404


def nec(request, **kwargs):
    raise Http404


def agreement_revise(request, **kwargs):
    raise Http404


def agreement_detail(request, **kwargs):
    raise Http404


def agreement_measures(request, **kwargs):
    raise Http404


def agreement_sign(request, **kwargs):
    raise Http404


def agreement_sent(request, **kwargs):
    raise Http404
