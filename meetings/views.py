"""PLACEHOLDER: replaced by the pages helper this session."""
from django.http import Http404


def index(request, **kwargs):
    raise Http404


def worklist(request, **kwargs):
    raise Http404


def action_status(request, **kwargs):
    raise Http404


def forum_new(request, **kwargs):
    raise Http404


def forum_detail(request, **kwargs):
    raise Http404


def forum_members(request, **kwargs):
    raise Http404


def forum_member_leave(request, **kwargs):
    raise Http404


def meeting_detail(request, **kwargs):
    raise Http404


def agenda_build(request, **kwargs):
    raise Http404


def agenda_add(request, **kwargs):
    raise Http404


def agenda_order(request, **kwargs):
    raise Http404


def agenda_send(request, **kwargs):
    raise Http404


def meeting_start(request, **kwargs):
    raise Http404


def meeting_end(request, **kwargs):
    raise Http404


def minutes_approve(request, **kwargs):
    raise Http404


def meeting_cancel(request, **kwargs):
    raise Http404


def attendance(request, **kwargs):
    raise Http404


def item_detail(request, **kwargs):
    raise Http404


def item_edit(request, **kwargs):
    raise Http404


def item_remove(request, **kwargs):
    raise Http404


def item_share(request, **kwargs):
    raise Http404


def item_reshare(request, **kwargs):
    raise Http404


def item_decision(request, **kwargs):
    raise Http404


def item_actions(request, **kwargs):
    raise Http404


def consents(request, **kwargs):
    raise Http404


def consent_withdraw(request, **kwargs):
    raise Http404

