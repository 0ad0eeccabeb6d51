"""The person page's reads (issue 8): what it shows is read once, each read audited
as before; the timeline's page and total in one query; a timeline fragment reads
only the timeline."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.permissions import CHANGE, VIEW, can
from access.services import access_grant
from audit.models import AuditEntry
from cases.models import Factor
from cases.services import factor_record, person_set_concern_level
from timeline.models import TimelineEntry
from timeline.services import timeline_record


def detail_url(person):
    return reverse("cases:person_detail", args=[person.pk])


def _fill_timeline(person, personas, world, entries: int) -> None:
    for i in range(entries):
        timeline_record(
            person=person,
            kind="cases.registered",
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            legal_basis="OWN_TASK",
            detail=f"Entry {i}",
        )


def test_timeline_pages_out_of_range_or_not_a_number_answer_as_the_paginator(
    personas, world, ishoej_person, client_for
):
    _fill_timeline(ishoej_person, personas, world, 30)  # 31 with the registration
    client = client_for(personas.ssp)
    for asked, shown in (
        (None, 1),
        ("2", 2),
        ("x", 1),
        ("", 1),
        ("0", 2),
        ("-1", 2),
        ("99", 2),
    ):
        data = {} if asked is None else {"timeline": asked}
        page = client.get(detail_url(ishoej_person), data).context["timeline"]
        assert page.number == shown, asked
        assert page.paginator.count == 31
        assert page.paginator.num_pages == 2
        assert len(page.object_list) == (25 if shown == 1 else 6)


def test_an_empty_timeline_is_one_empty_page(personas, ishoej_person, client_for):
    TimelineEntry.objects.filter(person=ishoej_person).delete()
    client = client_for(personas.ssp)
    response = client.get(detail_url(ishoej_person), {"timeline": "3"})
    page = response.context["timeline"]
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
    assert "Der er intet registreret, som du må se." in response.content.decode()


def test_timeline_fragment_reads_and_audits_only_the_person_and_the_timeline(
    personas, world, ishoej_person, client_for
):
    _fill_timeline(ishoej_person, personas, world, 30)
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        level="yellow",
        reason="Fravær",
    )
    client = client_for(personas.ssp)
    client.get(detail_url(ishoej_person))
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as fragment:
        response = client.get(
            detail_url(ishoej_person), {"timeline": "2"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "<h1>" not in response.content.decode()
    assert "Entry 0" in response.content.decode()
    assert sorted(
        AuditEntry.objects.order_by("pk")[before:].values_list("action", "object_type")
    ) == [("list", "timeline.timelineentry"), ("view", "cases.person")]
    with CaptureQueriesContext(connection) as page:
        client.get(detail_url(ishoej_person), {"timeline": "2"})
    assert len(fragment) < len(page) - 5


def test_the_page_knows_who_may_change_as_can_answers(
    personas, world, ishoej_person, client_for
):
    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.social_ishoej,
        actions=[VIEW],
        legal_basis="OWN_TASK",
    )
    for user, may_change in ((personas.ssp, True), (personas.social, False)):
        assert can(user, ishoej_person, CHANGE) is may_change
        response = client_for(user).get(detail_url(ishoej_person))
        assert response.context["can_change"] is may_change
        assert (response.context["concern_form"] is not None) is may_change
        edit = reverse("cases:person_edit", args=[ishoej_person.pk])
        assert (edit in response.content.decode()) is may_change


def test_history_and_factors_are_read_with_the_person_and_audited_as_lists(
    personas, world, ishoej_person, client_for
):
    for i in range(12):
        person_set_concern_level(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=ishoej_person,
            level="yellow" if i % 2 else "green",
            reason=f"Grund {i}",
        )
    factor_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        factor=Factor.objects.filter(active=True).first(),
        observed_on=date(2026, 1, 5),
        note="Set i skolen",
    )
    client = client_for(personas.ssp)
    before = AuditEntry.objects.count()
    response = client.get(detail_url(ishoej_person))
    history = response.context["history"]
    assert [c.reason for c in history] == [f"Grund {i}" for i in range(11, 1, -1)]
    assert [f.note for f in response.context["factors"]] == ["Set i skolen"]
    read = AuditEntry.objects.filter(
        pk__in=list(
            AuditEntry.objects.order_by("pk")[before:].values_list("pk", flat=True)
        )
    )
    for object_type in ("cases.concernlevelchange", "cases.personfactor"):
        entry = read.get(object_type=object_type)
        assert entry.action == "list"
        assert list(entry.subjects.values_list("person_id", flat=True)) == [
            ishoej_person.pk
        ]
    # Someone who may not see the person reads none of it: 404, nothing listed.
    outsider = client_for(personas.ssp_albertslund).get(detail_url(ishoej_person))
    assert outsider.status_code == 404


def test_the_legal_basis_filter_says_what_get_legal_basis_display_says():
    """timeline/templatetags/timeline.py: the page's cheaper label, same text."""
    from django.template import Context, Template
    from django.utils import translation

    from access.legal import LegalBasis

    display = Template("{{ e.get_legal_basis_display }}")
    label = Template("{% load timeline %}{{ e.legal_basis|legal_basis_label }}")
    for language in ("da", "en"):
        with translation.override(language):
            for value in [*LegalBasis.values, "UNKNOWN", ""]:
                entry = Context({"e": TimelineEntry(legal_basis=value)})
                assert label.render(entry) == display.render(entry), value
