"""Siblings (derived and recorded) and the sibling alert (issue 3 point 5, R-115-6)."""

from datetime import date

from access.permissions import CHANGE, VIEW
from access.services import access_grant
from cases.models import ConcernLevel
from cases.services import person_create, person_set_concern_level
from families.alerts import persons_with_sibling_alert, sibling_alerts
from families.models import RelationKind
from families.selectors import relations_of, sibling_ids, siblings_of
from families.services import relation_record
from meetings.models import GangInformationKind
from meetings.services import gang_information_end, gang_information_share


def _set_red(personas, world, person):
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=person,
        level=ConcernLevel.RED,
        reason="Gentagen kriminalitet",
    )


def test_children_of_one_household_are_siblings_and_have_a_mother(hansen, personas):
    family, mother, older, younger = hansen
    assert set(sibling_ids(younger).values_list("pk", flat=True)) == {older.pk}
    labels = {
        (r.other.pk, str(r.label))
        for r in relations_of(user=personas.ssp, person=older)
    }
    assert (mother.pk, "Mother") in labels or (mother.pk, "Mor") in labels
    assert {p.pk for p in siblings_of(user=personas.ssp, person=older)} == {younger.pk}


def test_siblings_derived_from_a_shared_father_across_households(
    personas, world, record_in_ishoej
):
    father = record_in_ishoej(given_name="Far", family_name="Fælles")
    first = record_in_ishoej(given_name="Første", family_name="Fælles")
    second = record_in_ishoej(given_name="Anden", family_name="Andersen")
    for child in (first, second):
        relation_record(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=child,
            relative=father,
            kind=RelationKind.FATHER,
        )
    assert list(sibling_ids(first).values_list("pk", flat=True)) == [second.pk]
    assert list(sibling_ids(father).values_list("pk", flat=True)) == []


def test_alert_appears_when_a_sibling_turns_red_and_disappears_when_it_ends(
    hansen, personas, world
):
    _family, _mother, older, younger = hansen
    assert sibling_alerts(user=personas.ssp, person=younger) == []
    _set_red(personas, world, older)

    alerts = sibling_alerts(user=personas.ssp, person=younger)
    assert [a.sibling.pk for a in alerts] == [older.pk]
    assert younger in persons_with_sibling_alert(user=personas.ssp)
    # The red sibling has no red sibling: no alert on its own page.
    assert sibling_alerts(user=personas.ssp, person=older) == []
    assert older not in persons_with_sibling_alert(user=personas.ssp)

    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=older,
        level=ConcernLevel.YELLOW,
        reason="Bedre",
    )
    assert sibling_alerts(user=personas.ssp, person=younger) == []
    assert younger not in persons_with_sibling_alert(user=personas.ssp)


def test_alert_hidden_from_an_agency_that_may_not_see_the_sibling(
    hansen, personas, world
):
    _family, _mother, older, younger = hansen
    _set_red(personas, world, older)
    # Social services see the younger child only.
    access_grant(
        actor=personas.ssp,
        obj=younger,
        agency=world.social_ishoej,
        actions=[VIEW],
        legal_basis="OWN_TASK",
    )
    assert sibling_alerts(user=personas.social, person=younger) == []
    assert list(persons_with_sibling_alert(user=personas.social)) == []


def test_section_115_5_information_reaches_only_named_recipients(
    hansen, personas, world
):
    """R-115-6: police share; only the named recipient sees the fact and the alert."""
    _family, _mother, older, younger = hansen
    for person in (older, younger):
        access_grant(
            actor=personas.ssp,
            obj=person,
            agency=world.police_vestegn,
            actions=[VIEW, CHANGE],
            legal_basis="RPL115_1_1_SSP",
        )
    info = gang_information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        person=older,
        kind=GangInformationKind.ASSOCIATED,
        recipients=[personas.ssp],
        shared_on=date(2026, 11, 1),
    )
    alerts = sibling_alerts(user=personas.ssp, person=younger)
    assert [a.sibling.pk for a in alerts] == [older.pk]
    assert "115" in str(alerts[0].reasons[0])
    assert sibling_alerts(user=personas.police, person=younger) != []

    # A colleague in the same SSP unit, not named, sees nothing of it.
    from organisations.models import Role
    from tests.conftest import make_user

    colleague = make_user("ssp2", (world.ssp_ishoej, Role.SSP_COORDINATOR))
    assert sibling_alerts(user=colleague, person=younger) == []
    assert younger not in persons_with_sibling_alert(user=colleague)

    gang_information_end(actor=personas.police, info=info, ended_on=date(2026, 11, 20))
    assert sibling_alerts(user=personas.ssp, person=younger) == []


def test_only_police_may_share_section_115_5_information(hansen, personas, world):
    import pytest
    from django.core.exceptions import ValidationError

    _family, _mother, older, _younger = hansen
    with pytest.raises(ValidationError):
        gang_information_share(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=older,
            kind=GangInformationKind.ASSOCIATED,
            recipients=[personas.ssp],
            shared_on=date(2026, 11, 1),
        )


def test_person_create_in_another_municipality_is_not_a_sibling(personas, world):
    other = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Fremmed",
        family_name="Person",
    )
    assert list(sibling_ids(other)) == []


def test_a_relation_recorded_in_error_is_removed_on_page_and_api(
    hansen, personas, world, client_for
):
    """DOMAIN.md: relations must be individually deletable; an outsider cannot."""
    from django.urls import reverse

    from families.models import Relation

    _family, _mother, older, younger = hansen
    relation = Relation.objects.get(person=younger, kind=RelationKind.MOTHER)
    url = reverse("families:relation_remove", args=[younger.pk, relation.pk])
    assert client_for(personas.ssp_albertslund).post(url).status_code == 404
    assert client_for(personas.ssp).post(url).status_code == 302
    assert not Relation.objects.filter(pk=relation.pk).exists()
    assert list(sibling_ids(younger)) == []

    mother_relation = Relation.objects.filter(person=older).first()
    api = f"/api/v1/persons/{older.pk}/relations/{mother_relation.pk}/"
    assert client_for(personas.social).delete(api).status_code == 404
    assert client_for(personas.ssp).delete(api).status_code == 204
    assert not Relation.objects.filter(pk=mother_relation.pk).exists()


def test_a_sibling_with_two_facts_has_one_alert_with_both_reasons_in_order(
    hansen, personas, world, client_for
):
    """One query reads every registered fact (families.alerts): a sibling found by
    two of them is one alert, its reasons in the order the facts were registered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from families.alerts import _FACTS

    _family, _mother, older, younger = hansen
    _set_red(personas, world, older)
    gang_information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        person=older,
        kind=GangInformationKind.ASSOCIATED,
        recipients=[personas.ssp],
        shared_on=date(2026, 11, 1),
    )
    expected = [
        str(f.label)
        for key, f in _FACTS.items()
        if key in ("cases.red", "meetings.gang_information")
    ]
    with CaptureQueriesContext(connection) as queries:
        alerts = sibling_alerts(user=personas.ssp, person=younger)
    assert [(a.sibling.pk, [str(r) for r in a.reasons]) for a in alerts] == [
        (older.pk, expected)
    ]
    # The siblings, the facts, the siblings shown (outside a request the audit
    # entry is written at once, with the acting agency: not counted here).
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("SELECT", "("))
        and "organisations_membership" not in q["sql"]
    ]
    assert len(reads) == 3, reads

    page = client_for(personas.ssp).get(
        reverse("cases:person_detail", args=[younger.pk])
    )
    assert page.context["alerts"][0].sibling.pk == older.pk
    assert "sibling-alert-heading" in page.content.decode()


def test_relations_and_carers_read_together_as_each_selector_reads_them(
    hansen, personas, world
):
    """The person page reads relations and carers with one query; it answers and
    audits the carers as carers_of does (a list of those persons)."""
    from audit.models import Action, AuditEntry
    from families.selectors import carers_of, relations_and_carers_of

    family, mother, older, younger = hansen
    father = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Anders",
        family_name="Andersen",
    )
    for kind in (RelationKind.FATHER, RelationKind.GUARDIAN):
        relation_record(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=younger,
            relative=father,
            kind=kind,
        )
    for user in (personas.ssp, personas.social, personas.police):
        relations, carers = relations_and_carers_of(user=user, person=younger)
        assert [r.relation.pk for r in relations] == [
            r.relation.pk for r in relations_of(user=user, person=younger)
        ]
        assert carers == list(carers_of(user=user, person=younger))

    relations, carers = relations_and_carers_of(user=personas.ssp, person=younger)
    assert [c.pk for c in carers] == [father.pk, mother.pk]  # Andersen, Hansen
    entry = AuditEntry.objects.filter(
        action=Action.LIST, object_type="cases.person", user=personas.ssp
    ).latest("pk")
    assert set(entry.subjects.values_list("person_id", flat=True)) == {
        father.pk,
        mother.pk,
    }
