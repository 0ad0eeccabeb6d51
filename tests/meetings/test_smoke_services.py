"""The services end to end, once: forum → meeting → agenda → share → decision →
action item → minutes approved."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from access.legal import LegalBasis
from meetings import selectors, services, sharing
from meetings.models import MeetingStatus


def test_a_meeting_from_agenda_to_approved_minutes(personas, world, running):
    meeting = running.meeting
    assert meeting.status == MeetingStatus.IN_PROGRESS
    shared = sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Set sammen med kendte personer fra et bandemiljø",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Skolen og forvaltningen skal kunne handle nu",
    )
    assert selectors.shared_of(user=personas.social, meeting=meeting).get() == shared
    services.decision_record(
        actor=personas.ssp,
        item=running.item,
        decision="Politiet holder en bekymringssamtale",
        request_conversation=True,
    )
    running.item.refresh_from_db()
    assert running.item.conversation.owner == personas.police
    action = services.action_item_add(
        actor=personas.ssp,
        item=running.item,
        description="Kontakt forældrene",
        responsible_agency=world.social_ishoej,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    assert list(selectors.actions_of(user=personas.social, meeting=meeting)) == [action]
    services.meeting_end(actor=personas.ssp, meeting=meeting)
    services.minutes_approve(actor=personas.ssp, meeting=meeting)
    assert meeting.status == MeetingStatus.APPROVED
    # Another municipality's coordinator sees nothing of it.
    assert not selectors.meetings_visible_to(user=personas.ssp_albertslund).exists()
    assert not selectors.shared_of(
        user=personas.ssp_albertslund, meeting=meeting
    ).exists()


def test_no_grant_under_115_reaches_a_private_organisation(
    personas, world, ishoej_person
):
    """R-115-4: the permission core itself refuses a §115 grant to a private
    organisation, whatever calls it."""
    import pytest
    from django.core.exceptions import ValidationError

    from access.services import access_grant
    from organisations.models import Agency, AgencyKind

    club = Agency.objects.create(
        name="Ishøj Boldklub", kind=AgencyKind.PRIVATE, municipality=world.ishoej
    )
    with pytest.raises(ValidationError) as refused:
        access_grant(
            actor=personas.ssp,
            obj=ishoej_person,
            agency=club,
            actions=["view"],
            legal_basis=LegalBasis.RPL115_2,
        )
    assert "agency" in refused.value.message_dict
