"""The law of sharing in a §115 forum, through the services (issue 5, points 5 and 9;
LAW.md B1–B2, R-115-1 … R-115-9, R-CONF-2). Each test names the rule it holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import can
from access.purposes import Purpose, purpose_check
from audit.models import Action, AuditEntry
from cases.services import person_create, person_set_concern_level
from families.alerts import persons_with_sibling_alert
from families.models import MemberRole
from families.services import family_add_member, family_add_new_person, family_create
from meetings import agenda, forums, selectors, services, sharing
from meetings.models import (
    ForumKind,
    GangInformation,
    GangInformationKind,
    ItemSource,
    MeetingStatus,
    SharedInformation,
)
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user

from .conftest import born_years_ago, local

NEED = "Skolen og forvaltningen skal kunne handle nu"


def share(running, actor, agency, **fields):
    values = {
        "actor": actor,
        "agency": agency,
        "item": running.item,
        "text": "Set sent på gaden med ældre unge",
        "legal_basis": LegalBasis.RPL115_2,
        "necessity": NEED,
    }
    values.update(fields)
    return sharing.information_share(**values)


def refused(field: str, call, *args, **kwargs) -> ValidationError:
    """`call` raises a ValidationError naming `field`, and nothing is shared."""
    before = SharedInformation.objects.count()
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field in caught.value.message_dict, caught.value
    assert SharedInformation.objects.count() == before
    return caught.value


def other_forum(personas, world, *, kind_code: str = "ssp", days: int = 9):
    """A second forum run by Ishøj SSP, with the Ishøj children & family services
    and the Vestegn police liaison, its first meeting's agenda sent."""
    forum = forums.forum_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        kind=ForumKind.objects.get(code=kind_code),
        name=f"{kind_code.upper()} Ishøj Nord",
        municipalities=[world.ishoej],
        chair=personas.ssp,
        first_meeting_at=local(days=days, hour=13),
    )
    forums.forum_member_add(actor=personas.ssp, forum=forum, agency=world.social_ishoej)
    forums.forum_member_add(
        actor=personas.ssp,
        forum=forum,
        agency=world.police_vestegn,
        user=personas.police,
    )
    return forum, forum.meetings.order_by("starts_at").first()


def send_with_item(personas, meeting, person, **fields):
    item = agenda.agenda_item_add(
        actor=personas.ssp, meeting=meeting, person=person, title="Drøftelse", **fields
    )
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    meeting.refresh_from_db()
    item.refresh_from_db()
    return item


# --- R-115-1, R-115-2: a basis from the forum's list, and why it is necessary ---------


def test_share_without_a_legal_basis_is_refused(personas, world, running):
    """R-115-1: save is rejected without a legal basis."""
    refused(
        "legal_basis",
        share,
        running,
        personas.social,
        world.social_ishoej,
        legal_basis="",
    )


def test_share_with_a_basis_outside_the_forums_list_is_refused(
    personas, world, running
):
    """R-115-1: the basis comes from the forum kind's list (PSP's basis is not in an
    SSP forum's list; nor is an arbitrary other statute)."""
    for basis in (LegalBasis.RPL115_1_2_PSP, LegalBasis.OTHER_STATUTE, "nonsense"):
        refused(
            "legal_basis",
            share,
            running,
            personas.police,
            world.police_vestegn,
            legal_basis=basis,
        )


def test_share_without_necessity_is_refused(personas, world, running):
    """R-115-2: a disclosure needs a recorded necessity justification."""
    refused(
        "necessity",
        share,
        running,
        personas.social,
        world.social_ishoej,
        necessity="   ",
    )


def test_share_records_basis_necessity_and_source(personas, world, running):
    """R-115-1/-2: the record keeps its basis, its necessity and its source agency."""
    shared = share(running, personas.social, world.social_ishoej)
    shared.refresh_from_db()
    assert shared.legal_basis == LegalBasis.RPL115_2
    assert shared.necessity == NEED
    assert shared.agency == world.social_ishoej
    assert shared.shared_by == personas.social
    assert shared.person_id == running.person.pk
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_id=str(shared.pk), user=personas.social
    ).exists()


def test_stk_1_is_the_polices_basis(personas, world, running):
    """§115 stk. 1 (R-115-1): only police disclose under stk. 1; a municipal
    authority is refused, police are not."""
    refused(
        "legal_basis",
        share,
        running,
        personas.social,
        world.social_ishoej,
        legal_basis=LegalBasis.RPL115_1_1_SSP,
    )
    shared = share(
        running,
        personas.police,
        world.police_vestegn,
        legal_basis=LegalBasis.RPL115_1_1_SSP,
    )
    assert shared.legal_basis == LegalBasis.RPL115_1_1_SSP


def test_stk_2_is_the_other_authorities_basis(personas, world, running):
    """§115 stk. 2: other authorities share under stk. 2; police do not."""
    refused(
        "legal_basis",
        share,
        running,
        personas.police,
        world.police_vestegn,
        legal_basis=LegalBasis.RPL115_2,
    )
    assert share(running, personas.social, world.social_ishoej).legal_basis == (
        LegalBasis.RPL115_2
    )


def test_stk_3_is_the_self_governing_institutions_basis(personas, world, running):
    """§115 stk. 3: a self-governing institution takes part and shares under stk. 3,
    not stk. 2; an authority cannot use stk. 3."""
    institution = Agency.objects.create(
        name="Ishøj Ungdomsskole (selvejende)",
        kind=AgencyKind.SELF_GOVERNING,
        municipality=world.ishoej,
    )
    worker = make_user("selvejende", (institution, Role.SOCIAL_WORKER))
    forums.participant_add(
        actor=personas.ssp, meeting=running.meeting, agency=institution
    )
    refused(
        "legal_basis",
        share,
        running,
        worker,
        institution,
        legal_basis=LegalBasis.RPL115_2,
    )
    refused(
        "legal_basis",
        share,
        running,
        personas.social,
        world.social_ishoej,
        legal_basis=LegalBasis.RPL115_3,
    )
    shared = share(running, worker, institution, legal_basis=LegalBasis.RPL115_3)
    assert shared.agency == institution


def test_only_a_participant_of_the_meeting_shares(personas, world, running):
    """R-115-4/-5: a user of an agency not taking part cannot put information into
    the meeting; nor can a user for an agency it does not work in."""
    with pytest.raises(ValidationError):
        share(running, personas.ssp_albertslund, world.ssp_albertslund)
    with pytest.raises(ValidationError):
        share(running, personas.social, world.police_vestegn)
    assert not SharedInformation.objects.exists()


# --- R-115-4: never a private organisation --------------------------------------------


@pytest.fixture
def private_org(world) -> Agency:
    return Agency.objects.create(
        name="Boligselskabet Vestegnen",
        kind=AgencyKind.PRIVATE,
        municipality=world.ishoej,
    )


def test_private_organisation_is_refused_as_forum_member(
    personas, ssp_forum, private_org
):
    """R-115-4: a private organisation cannot be a member of a §115 forum."""
    with pytest.raises(ValidationError) as caught:
        forums.forum_member_add(
            actor=personas.ssp, forum=ssp_forum.forum, agency=private_org
        )
    assert "agency" in caught.value.message_dict
    assert not ssp_forum.forum.members.filter(agency=private_org).exists()


def test_private_organisation_is_refused_as_participant_so_never_a_recipient(
    personas, world, running, private_org
):
    """R-115-4: nor a participant of a meeting, so it never receives what is
    shared there; its staff see nothing of the meeting."""
    employee = make_user("boligsocial", (private_org, Role.SOCIAL_WORKER))
    with pytest.raises(ValidationError) as caught:
        forums.participant_add(
            actor=personas.ssp, meeting=running.meeting, agency=private_org
        )
    assert "agency" in caught.value.message_dict
    assert not running.meeting.participants.filter(agency=private_org).exists()
    share(running, personas.social, world.social_ishoej)
    assert private_org.pk not in set(
        running.meeting.participants.values_list("agency", flat=True)
    )
    assert not selectors.shared_of(user=employee, meeting=running.meeting).exists()
    assert employee not in agenda.recipients_of(running.meeting)
    with pytest.raises(Http404):
        selectors.meeting_for(user=employee, pk=running.meeting.pk)


# --- R-115-5: nothing shared automatically --------------------------------------------


def test_nothing_is_shared_automatically(personas, world, ssp_forum):
    """R-115-5: adding an item, sending the agenda and starting the meeting share
    nothing and grant no participant access to the person's own record."""
    meeting, person = ssp_forum.meeting, ssp_forum.person
    extra = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Anden",
        family_name="Dagsordensen",
        date_of_birth=born_years_ago(14),
    )
    agenda.agenda_item_add(
        actor=personas.ssp, meeting=meeting, person=extra, title="Ny bekymring"
    )
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    services.meeting_start(actor=personas.ssp, meeting=meeting)
    assert not SharedInformation.objects.exists()
    for participant in (personas.social, personas.police):
        for somebody in (person, extra):
            assert not can(participant, somebody)
        # The agenda names the person, nothing more.
        assert selectors.agenda_of(user=participant, meeting=meeting).count() == 2
        assert not selectors.shared_of(user=participant, meeting=meeting).exists()


# --- Who sees what was shared ---------------------------------------------------------


def test_shared_information_is_seen_only_by_that_meetings_participants(
    personas, world, ssp_forum
):
    """Issue 5 point 5 / R-115-4: seen by the agencies taking part in that meeting;
    not by a member agency of the same forum that does not take part in it, not by
    another municipality, not by police of another district."""
    school = Agency.objects.create(
        name="Ishøj Skole", kind=AgencyKind.SCHOOL, municipality=world.ishoej
    )
    teacher = make_user("laerer", (school, Role.SOCIAL_WORKER))
    forums.forum_member_add(actor=personas.ssp, forum=ssp_forum.forum, agency=school)
    meeting = ssp_forum.meeting
    forums.participant_remove(
        actor=personas.ssp,
        participant=meeting.participants.get(agency=school, user__isnull=True),
    )
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    services.meeting_start(actor=personas.ssp, meeting=meeting)
    shared = sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=ssp_forum.item,
        text="Anholdt for butikstyveri",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity=NEED,
    )
    for reader in (personas.ssp, personas.social, personas.police):
        seen = selectors.shared_of(user=reader, meeting=meeting).get()
        assert seen == shared
        # It keeps its source agency and basis for every reader.
        assert seen.agency == world.police_vestegn
        assert seen.legal_basis == LegalBasis.RPL115_1_1_SSP
        assert selectors.shared_for(user=reader, pk=shared.pk) == shared
    # A member of the forum, not of the meeting.
    assert selectors.forum_for(user=teacher, pk=ssp_forum.forum.pk)
    for outsider in (teacher, personas.ssp_albertslund, personas.police_other_district):
        assert not selectors.shared_of(user=outsider, meeting=meeting).exists()
        with pytest.raises(Http404):
            selectors.shared_for(user=outsider, pk=shared.pk)
        with pytest.raises(Http404):
            selectors.meeting_for(user=outsider, pk=meeting.pk)
        assert not can(outsider, shared)
        assert not can(outsider, ssp_forum.person)


# --- R-115-8: no onward disclosure by copying -----------------------------------------


@pytest.fixture
def received(personas, world, running) -> SharedInformation:
    """Police shared in the first forum's running meeting; Ishøj children & family
    services received it there."""
    return sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Set sammen med kendte personer fra et bandemiljø",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity=NEED,
    )


def test_reshare_without_a_new_basis_is_refused(personas, world, running, received):
    """R-115-8: the receiver cannot pass information into another forum's meeting
    without a basis of its own; the received basis does not carry over."""
    _forum, meeting = other_forum(personas, world)
    item = send_with_item(personas, meeting, running.person)
    refused(
        "legal_basis",
        sharing.information_reshare,
        actor=personas.social,
        agency=world.social_ishoej,
        source=received,
        item=item,
        legal_basis="",
        necessity=NEED,
    )
    # Nor under the sender's basis, which is the police's, not the receiver's.
    refused(
        "legal_basis",
        sharing.information_reshare,
        actor=personas.social,
        agency=world.social_ishoej,
        source=received,
        item=item,
        legal_basis=received.legal_basis,
        necessity=NEED,
    )


def test_reshare_into_the_same_meeting_is_refused(personas, world, running, received):
    """R-115-8: it is already there; no copy."""
    with pytest.raises(ValidationError):
        sharing.information_reshare(
            actor=personas.social,
            agency=world.social_ishoej,
            source=received,
            item=running.item,
            legal_basis=LegalBasis.RPL115_2,
            necessity=NEED,
        )
    assert SharedInformation.objects.count() == 1


def test_reshare_by_someone_who_did_not_receive_it_is_refused(
    personas, world, running, received
):
    """R-115-8: only what one has received can be passed on."""
    forum = forums.forum_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        kind=ForumKind.objects.get(code="ssp"),
        name="SSP Albertslund",
        municipalities=[world.albertslund],
        chair=personas.ssp_albertslund,
        first_meeting_at=local(days=8),
    )
    meeting = forum.meetings.order_by("starts_at").first()
    person = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Albert",
        family_name="Lundsen",
        date_of_birth=born_years_ago(15),
    )
    item = agenda.agenda_item_add(
        actor=personas.ssp_albertslund, meeting=meeting, person=person, title="Sag"
    )
    agenda.agenda_send(actor=personas.ssp_albertslund, meeting=meeting)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        sharing.information_reshare(
            actor=personas.ssp_albertslund,
            agency=world.ssp_albertslund,
            source=received,
            item=item,
            legal_basis=LegalBasis.RPL115_2,
            necessity=NEED,
        )
    assert SharedInformation.objects.count() == 1


def test_reshare_with_a_new_basis_is_recorded_and_audited(
    personas, world, running, received
):
    """R-115-8: with a basis of its own the receiver passes it on; the new record
    names the receiver's agency as sharer, keeps the link to the source, and is
    audited as a re-share. The source keeps its own agency and basis."""
    _forum, meeting = other_forum(personas, world)
    item = send_with_item(personas, meeting, running.person)
    new = sharing.information_reshare(
        actor=personas.social,
        agency=world.social_ishoej,
        source=received,
        item=item,
        legal_basis=LegalBasis.RPL115_2,
        necessity="Forvaltningen skal kunne koordinere indsatsen",
    )
    new.refresh_from_db()
    assert new.meeting == meeting
    assert new.agency == world.social_ishoej
    assert new.shared_by == personas.social
    assert new.legal_basis == LegalBasis.RPL115_2
    assert new.reshared_from == received
    assert new.text == received.text
    received.refresh_from_db()
    assert received.agency == world.police_vestegn
    assert received.legal_basis == LegalBasis.RPL115_1_1_SSP
    entry = AuditEntry.objects.get(action=Action.CREATE, object_id=str(new.pk))
    assert entry.user == personas.social
    assert entry.criterion == f"reshare of {received.pk}"
    assert list(entry.subjects.values_list("person_id", flat=True)) == [
        running.person.pk
    ]
    # Seen in the new meeting with its new basis; the old meeting holds one record.
    assert selectors.shared_of(user=personas.police, meeting=meeting).get() == new
    assert selectors.shared_of(user=personas.police, meeting=running.meeting).get() == (
        received
    )


# --- R-115-6: §115 stk. 5 gang information --------------------------------------------


def gang_share(running, actor, agency, **fields):
    values = {
        "legal_basis": LegalBasis.RPL115_5_GANG,
        "gang_kind": GangInformationKind.ASSOCIATED,
        "recipients": [],
        "text": "Tilknyttet et bandemiljø",
    }
    values.update(fields)
    return share(running, actor, agency, **values)


def test_gang_information_from_a_non_police_user_is_refused(personas, world, running):
    """R-115-6: only a police user creates §115 stk. 5 information."""
    refused(
        "legal_basis",
        gang_share,
        running,
        personas.social,
        world.social_ishoej,
        recipients=[personas.ssp],
    )
    # An SSP coordinator (the chair, a named participant) neither.
    refused(
        "legal_basis",
        gang_share,
        running,
        personas.ssp,
        world.ssp_ishoej,
        recipients=[personas.social],
    )
    assert not GangInformation.objects.exists()


def test_gang_information_in_a_psp_forum_is_refused(personas, world):
    """R-115-6: §115 stk. 5 applies to SSP forums only: not in a PSP forum, and a
    PSP kind cannot be given the basis (ForumKind.clean); even a kind changed
    behind the admin's back does not open it."""
    psp = ForumKind.objects.get(code="psp")
    psp.legal_bases = [*psp.legal_bases, LegalBasis.RPL115_5_GANG]
    with pytest.raises(ValidationError) as caught:
        psp.full_clean()
    assert "legal_bases" in caught.value.message_dict
    psp.refresh_from_db()
    assert LegalBasis.RPL115_5_GANG not in psp.legal_bases

    _forum, meeting = other_forum(personas, world, kind_code="psp")
    person = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Psyke",
        family_name="Samarbejdsen",
        date_of_birth=born_years_ago(22),
    )
    item = send_with_item(personas, meeting, person)
    services.meeting_start(actor=personas.ssp, meeting=meeting)

    def attempt():
        return sharing.information_share(
            actor=personas.police,
            agency=world.police_vestegn,
            item=item,
            text="Tilknyttet et bandemiljø",
            legal_basis=LegalBasis.RPL115_5_GANG,
            necessity=NEED,
            gang_kind=GangInformationKind.ASSOCIATED,
            recipients=[personas.ssp],
        )

    refused("legal_basis", attempt)
    ForumKind.objects.filter(pk=psp.pk).update(
        legal_bases=[*psp.legal_bases, LegalBasis.RPL115_5_GANG]
    )
    item.meeting.forum.kind.refresh_from_db()
    refused("legal_basis", attempt)
    assert not GangInformation.objects.exists()


def test_gang_information_needs_named_recipients_taking_part(personas, world, running):
    """R-115-6: visible only to explicitly named recipients, who must take part in
    the meeting (another municipality or another district cannot be named)."""
    refused("recipients", gang_share, running, personas.police, world.police_vestegn)
    # An auditor of an agency taking part as a whole does not see the meeting.
    auditor = make_user("revisor", (world.social_ishoej, Role.AUDITOR))
    for outsider in (personas.ssp_albertslund, personas.police_other_district, auditor):
        refused(
            "recipients",
            gang_share,
            running,
            personas.police,
            world.police_vestegn,
            recipients=[personas.ssp, outsider],
        )
    refused(
        "gang_kind",
        gang_share,
        running,
        personas.police,
        world.police_vestegn,
        recipients=[personas.ssp],
        gang_kind="",
    )
    assert not GangInformation.objects.exists()


def test_gang_information_is_seen_only_by_recipients_and_the_police_agency(
    personas, world, running
):
    """R-115-6: the named recipients and the sharing police agency see it; another
    participant of the same meeting does not. It creates the GangInformation
    record behind the sibling alert, and is never passed on."""
    colleague = make_user("police2", (world.police_vestegn, Role.POLICE_LIAISON))
    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Dagsordensen",
    )
    family_add_member(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=family,
        person=running.person,
        role=MemberRole.CHILD,
    )
    sibling = family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=family,
        role=MemberRole.CHILD,
        given_name="Lillebror",
        family_name="Dagsordensen",
        date_of_birth=born_years_ago(12),
    ).person
    assert sibling not in persons_with_sibling_alert(user=personas.ssp)

    shared = gang_share(
        running, personas.police, world.police_vestegn, recipients=[personas.ssp]
    )
    assert shared.restricted
    info = shared.gang_information
    assert info == GangInformation.objects.get()
    assert info.person == running.person
    assert info.agency == world.police_vestegn
    assert list(info.recipients.all()) == [personas.ssp]

    meeting = running.meeting
    for reader in (personas.ssp, personas.police):
        assert selectors.shared_of(user=reader, meeting=meeting).get() == shared
    # The police agency holds the record itself; a colleague who takes no part in
    # the meeting does not see the meeting's items.
    assert can(colleague, info)
    assert not selectors.shared_of(user=colleague, meeting=meeting).exists()
    assert not selectors.shared_of(user=personas.social, meeting=meeting).exists()
    with pytest.raises(Http404):
        selectors.shared_for(user=personas.social, pk=shared.pk)
    # The record drives the sibling alert, for the recipient only.
    assert sibling in persons_with_sibling_alert(user=personas.ssp)
    assert can(personas.ssp, info)
    assert not can(personas.social, info)

    _forum, other = other_forum(personas, world)
    item = send_with_item(personas, other, running.person)
    for actor, agency in (
        (personas.ssp, world.ssp_ishoej),
        (personas.police, world.police_vestegn),
    ):
        with pytest.raises(ValidationError):
            sharing.information_reshare(
                actor=actor,
                agency=agency,
                source=shared,
                item=item,
                legal_basis=LegalBasis.RPL115_1_1_SSP,
                necessity=NEED,
            )
    assert SharedInformation.objects.count() == 1


# --- R-115-3: no investigation purpose ------------------------------------------------


def test_investigation_is_refused_as_a_purpose():
    """R-115-3: declaring investigation is refused with a field-level message."""
    for value in ("investigation", "Investigation ", "efterforskning"):
        with pytest.raises(ValidationError) as caught:
            purpose_check(value)
        assert "purpose" in caught.value.message_dict
    assert purpose_check("") == Purpose.CRIME_PREVENTION
    assert purpose_check("crime_prevention") == Purpose.CRIME_PREVENTION


def test_no_model_field_offers_investigation_as_a_choice():
    """R-115-3: "investigation" is not a selectable value anywhere in the app: no
    field of any installed app's models has it among its choices."""

    def values(choices):
        for value, label in choices:
            if isinstance(label, list | tuple):  # an option group
                yield from values(label)
            else:
                yield str(value).lower()

    offending = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
        for value in values(field.choices)
        if "investigation" in value or "efterforskning" in value
    ]
    assert offending == []
    assert not [v for v in Purpose.values if "investigation" in v]


# --- R-CONF-2: consent ----------------------------------------------------------------


def consent_for(personas, world, person, *, agencies, **fields):
    values = {
        "given_by": "Forælder med forældremyndighed",
        "scope": "Skolefravær og fritid, til SSP-mødet",
        "given_on": timezone.localdate() - timedelta(days=5),
    }
    values.update(fields)
    return sharing.consent_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=person,
        agencies=agencies,
        **values,
    )


def test_share_on_consent_needs_the_persons_consent_covering_the_agency(
    personas, world, running
):
    """R-CONF-2: on the CONSENT basis, a consent of the item's person that covers
    the sharing agency."""

    def on_consent(consent):
        return share(
            running,
            personas.social,
            world.social_ishoej,
            legal_basis=LegalBasis.CONSENT,
            consent=consent,
        )

    refused("consent", on_consent, None)
    police_only = consent_for(
        personas, world, running.person, agencies=[world.police_vestegn]
    )
    refused("consent", on_consent, police_only)
    stranger = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Anden",
        family_name="Personsen",
    )
    someone_elses = consent_for(
        personas, world, stranger, agencies=[world.social_ishoej]
    )
    refused("consent", on_consent, someone_elses)
    own = consent_for(personas, world, running.person, agencies=[world.social_ishoej])
    shared = on_consent(own)
    assert shared.consent == own
    assert shared.legal_basis == LegalBasis.CONSENT
    # A consent given with a statutory basis is refused (it is chosen only as basis).
    refused(
        "consent",
        share,
        running,
        personas.social,
        world.social_ishoej,
        consent=own,
    )


def test_withdrawn_consent_stops_sharing_on_it_but_not_on_a_statute(
    personas, world, running
):
    """R-CONF-2: withdrawal stops future sharing under CONSENT, not sharing under a
    statutory basis; what was shared before keeps its consent."""
    consent = consent_for(
        personas, world, running.person, agencies=[world.social_ishoej]
    )
    before = share(
        running,
        personas.social,
        world.social_ishoej,
        legal_basis=LegalBasis.CONSENT,
        consent=consent,
    )
    sharing.consent_withdraw(
        actor=personas.ssp, consent=consent, withdrawn_on=timezone.localdate()
    )
    refused(
        "consent",
        share,
        running,
        personas.social,
        world.social_ishoej,
        legal_basis=LegalBasis.CONSENT,
        consent=consent,
    )
    statutory = share(running, personas.social, world.social_ishoej)
    assert statutory.legal_basis == LegalBasis.RPL115_2
    before.refresh_from_db()
    assert before.consent == consent
    with pytest.raises(ValidationError):
        sharing.consent_withdraw(
            actor=personas.ssp, consent=consent, withdrawn_on=timezone.localdate()
        )


def test_expired_consent_stops_sharing_on_it(personas, world, running):
    """R-CONF-2: a consent past its expiry date is no basis."""
    today = timezone.localdate()
    expired = consent_for(
        personas,
        world,
        running.person,
        agencies=[world.social_ishoej],
        given_on=today - timedelta(days=60),
        expires_on=today - timedelta(days=1),
    )
    refused(
        "consent",
        share,
        running,
        personas.social,
        world.social_ishoej,
        legal_basis=LegalBasis.CONSENT,
        consent=expired,
    )


def test_consent_record_validates_its_fields(personas, world, ssp_forum):
    """R-CONF-2: who consented, the scope, the agencies and the dates are required
    and consistent."""
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        sharing.consent_record(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=ssp_forum.person,
            given_by=" ",
            scope="",
            given_on=today + timedelta(days=1),
            agencies=[],
        )
    assert {"given_by", "scope", "agencies", "given_on"} <= set(
        caught.value.message_dict
    )
    with pytest.raises(ValidationError) as caught:
        consent_for(
            personas,
            world,
            ssp_forum.person,
            agencies=[world.social_ishoej],
            expires_on=today - timedelta(days=30),
        )
    assert "expires_on" in caught.value.message_dict


# --- Leaving a forum ------------------------------------------------------------------


def test_a_member_who_leaves_loses_future_meetings_and_keeps_the_held_ones(
    personas, world, running, received
):
    """Issue 5 point 5: the agency that leaves loses its access to the forum's
    future meetings, keeps the ones it took part in, and the audit log still holds
    what it read."""
    held = running.meeting
    assert list(selectors.shared_of(user=personas.social, meeting=held)) == [received]
    services.meeting_end(actor=personas.ssp, meeting=held)
    future = running.forum.meetings.filter(status=MeetingStatus.PLANNED).order_by(
        "starts_at"
    )[0]
    assert selectors.meeting_for(user=personas.social, pk=future.pk) == future
    reads = AuditEntry.objects.filter(user=personas.social, action=Action.LIST)
    read_ids = set(reads.values_list("pk", flat=True))
    assert read_ids

    member = running.forum.members.get(agency=world.social_ishoej, user__isnull=True)
    forums.forum_member_leave(
        actor=personas.ssp, member=member, left_on=timezone.localdate()
    )

    with pytest.raises(Http404):
        selectors.meeting_for(user=personas.social, pk=future.pk)
    with pytest.raises(Http404):
        selectors.forum_for(user=personas.social, pk=running.forum.pk)
    assert not future.participants.filter(agency=world.social_ishoej).exists()
    assert selectors.meeting_for(user=personas.social, pk=held.pk) == held
    assert list(selectors.shared_of(user=personas.social, meeting=held)) == [received]
    assert held.participants.filter(agency=world.social_ishoej).exists()
    assert read_ids <= set(
        AuditEntry.objects.filter(user=personas.social).values_list("pk", flat=True)
    )
    assert not agenda.recipients_of(future).filter(pk=personas.social.pk).exists()
    # Meetings generated later do not include it either.
    forums.meetings_generate(
        forum=running.forum, until=timezone.now() + timedelta(days=400)
    )
    assert not running.forum.meetings.filter(
        participants__agency=world.social_ishoej, starts_at__gt=held.starts_at
    ).exists()


# --- R-115-9: the age group is a warning with a reason --------------------------------


def test_an_item_outside_the_age_group_needs_a_reason(personas, world, ssp_forum):
    """R-115-9: §115 has no age limit; outside the forum's target age group the
    coordinator writes why (field error without it), then the item is added."""
    adult = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Voksen",
        family_name="Aldersen",
        date_of_birth=born_years_ago(20),
    )
    with pytest.raises(ValidationError) as caught:
        agenda.agenda_item_add(
            actor=personas.ssp, meeting=ssp_forum.meeting, person=adult, title="Sag"
        )
    assert "age_override_reason" in caught.value.message_dict
    item = agenda.agenda_item_add(
        actor=personas.ssp,
        meeting=ssp_forum.meeting,
        person=adult,
        title="Sag",
        age_override_reason="Storebror til en ung i målgruppen",
    )
    assert item.age_override_reason == "Storebror til en ung i målgruppen"
    assert agenda.outside_age_group(item)


def test_agenda_send_waits_for_a_reason_on_auto_built_items_outside_the_group(
    personas, world, ssp_forum
):
    """R-115-9: an item the build adds about a person outside the age group stops
    the sending until the coordinator writes why (or removes it)."""
    adult = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Voksen",
        family_name="Aldersen",
        date_of_birth=born_years_ago(20),
    )
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=adult,
        level="red",
        reason="Alvorlig bekymring",
    )
    meeting = ssp_forum.meeting
    added = agenda.agenda_build(actor=personas.ssp, meeting=meeting)
    (item,) = [i for i in added if i.person_id == adult.pk]
    assert item.source == ItemSource.NEW_CONCERN
    with pytest.raises(ValidationError):
        agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    agenda.agenda_item_update(
        actor=personas.ssp, item=item, age_override_reason="Del af samme gruppe"
    )
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    assert meeting.status == MeetingStatus.AGENDA_SENT
