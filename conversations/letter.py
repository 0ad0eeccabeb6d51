"""The invitation letter to the parents (indkaldelse; issue 4, point 2).

A planned conversation becomes a Danish letter to the young person's parents: when
and where, what the conversation is about in plain, non-stigmatising words, who
will be there, and whom to contact. The letter is handed over or sent through
Digital Post, so it has no address block at all: an address may be protected
(navne- og adressebeskyttelse, CPR-loven §6 stk. 6; LAW.md R-EXIT-3).

What the letter never holds, whatever the template says: the kind of concern, the
reason or the notes of the conversation, a CPR number, an address, or anyone who is
not invited. The placeholders can only give the values computed here.

The text is the municipality's own (ConversationSettings.letter_subject and
letter_body, edited by an administrator) or the standard text below. It is filled
in with `string.Template.safe_substitute`, never with the Django template engine,
so an administrator's text reaches no objects: an unknown `$placeholder` or a
`{{ … }}` stays as written, and the result is escaped when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from access.permissions import visible_via
from audit.models import Action
from audit.services import audit_record
from core.pdf import render_pdf

from .models import (
    ConcernConversation,
    ConversationSettings,
    Participant,
    ParticipantRole,
    Status,
)

# The placeholders an administrator may use, and nothing else (the help text of
# ConversationSettings.letter_body lists the same).
PLACEHOLDERS = (
    "barn",
    "dato",
    "tidspunkt",
    "sted",
    "deltagere",
    "kontaktperson",
    "kontakt_telefon",
    "kontakt_email",
    "kommune",
)

DEFAULT_SUBJECT = "Invitation til en samtale om $barn"

# Written to invite, not to accuse: no word of crime, gangs or police concern, so
# the letter can lie on a kitchen table. "Trivsel og fremtid" is the spirit of the
# mulighedssamtale. The genitive of a name is avoided on purpose ("Samis",
# "Mads'"): a template cannot know which form a name takes.
DEFAULT_BODY = """\
Kære forældre til $barn

Vi vil gerne invitere jer og $barn til en samtale om trivsel og fremtid for $barn. \
Vi vil gerne høre, hvordan det går – derhjemme, i skolen og i fritiden – og sammen \
med jer finde ud af, hvad der kan hjælpe $barn godt videre.

Tid: $dato kl. $tidspunkt
Sted: $sted

Til samtalen deltager:
$deltagere

Samtalen er frivillig, men vi håber meget, at I har lyst til at komme. Jeres egne \
tanker og erfaringer er vigtige, og der er plads til jeres spørgsmål.

Passer tidspunktet ikke, eller har I brug for en tolk, så kontakt os gerne, så \
finder vi en løsning. En tolk er gratis for jer.

Har I spørgsmål, er I velkomne til at kontakte $kontaktperson.
$kontakt_email

Vi glæder os til at møde jer.

Venlig hilsen
$kontaktperson
$kommune Kommune og politiet"""

# Danish on every letter, whatever language the user works in.
DATE_FORMAT = r"l \d\e\n j. F Y"  # tirsdag den 8. december 2026
TIME_FORMAT = "H.i"  # 15.00
LETTER_DATE_FORMAT = "j. F Y"  # 8. december 2026


@dataclass(frozen=True)
class Letter:
    subject: str
    paragraphs: list[str]


def _name_of_user(user) -> str:
    return user.name_and_title


def _attendee_lines(
    conversation: ConcernConversation, participants: list[Participant]
) -> list[str]:
    """Who will be there, one line each: the young person by first name, the
    invited parents by name, staff by name and agency. Only the invited."""
    lines: list[str] = []
    by_role: dict[str, list[Participant]] = {}
    for participant in participants:
        by_role.setdefault(participant.role, []).append(participant)
    for participant in by_role.get(ParticipantRole.YOUTH, []):
        lines.append(participant.person.given_name)
    for participant in by_role.get(ParticipantRole.GUARDIAN, []):
        lines.append(participant.person.full_name)
    for participant in by_role.get(ParticipantRole.POLICE, []):
        agency = participant.agency or conversation.agency
        lines.append(f"{_name_of_user(participant.user)}, {agency.name} (politiet)")
    municipal = by_role.get(ParticipantRole.MUNICIPAL, [])
    for participant in municipal:
        agency = participant.agency or conversation.municipal_agency
        lines.append(f"{_name_of_user(participant.user)}, {agency.name} (kommunen)")
    if not municipal:
        lines.append(
            f"En medarbejder fra {conversation.municipal_agency.name} (kommunen)"
        )
    interpreters = by_role.get(ParticipantRole.INTERPRETER, [])
    if interpreters or conversation.interpreter_needed:
        language = conversation.interpreter_language
        lines.append(f"En tolk ({language})" if language else "En tolk")
    for participant in by_role.get(ParticipantRole.OTHER, []):
        lines.append(participant.display_name)
    return [f"• {line}" for line in lines]


def letter_values(
    conversation: ConcernConversation, participants: list[Participant]
) -> dict[str, str]:
    """The value of each placeholder, in Danish. Nothing else can reach the text."""
    planned_at = timezone.localtime(conversation.planned_at)
    owner = conversation.owner
    with translation.override("da"):
        return {
            "barn": conversation.person.given_name,
            "dato": dateformat.format(planned_at, DATE_FORMAT),
            "tidspunkt": dateformat.format(planned_at, TIME_FORMAT),
            "sted": conversation.place,
            "deltagere": "\n".join(_attendee_lines(conversation, participants)),
            "kontaktperson": f"{_name_of_user(owner)}, {conversation.agency.name}",
            # Staff have no recorded telephone number yet: the placeholder is
            # empty rather than a number that may be wrong.
            "kontakt_telefon": "",
            "kontakt_email": owner.email,
            "kommune": conversation.municipality.name,
        }


def _paragraphs(text: str) -> list[str]:
    """Paragraphs at blank lines; a line whose placeholder was empty goes, the
    other line breaks inside a paragraph stay."""
    paragraphs = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.split("\n")]
        kept = "\n".join(line for line in lines if line.strip())
        if kept:
            paragraphs.append(kept)
    return paragraphs


def letter_compose(
    conversation: ConcernConversation, participants: list[Participant]
) -> Letter:
    """The subject and paragraphs of the letter: the municipality's own text, or
    the standard one, with its placeholders filled in."""
    own = ConversationSettings.objects.filter(
        municipality_id=conversation.municipality_id
    ).first()
    subject = (own and own.letter_subject.strip()) or DEFAULT_SUBJECT
    body = (own and own.letter_body.strip()) or DEFAULT_BODY
    values = letter_values(conversation, participants)
    return Letter(
        subject=Template(subject).safe_substitute(values).strip(),
        paragraphs=_paragraphs(Template(body).safe_substitute(values)),
    )


def unknown_placeholders(text: str) -> list[str]:
    """The `$names` in an administrator's text that the letter does not fill in."""
    return sorted(set(Template(text).get_identifiers()) - set(PLACEHOLDERS))


def _police_name(conversation: ConcernConversation) -> str:
    district = conversation.agency.police_district
    return district.name if district else conversation.agency.name


def _participants(actor, conversation: ConcernConversation) -> list[Participant]:
    # The export entry below records who is named; the read itself is not listed
    # a second time.
    return list(
        visible_via(
            actor,
            Participant.objects.filter(conversation=conversation).select_related(
                "user", "person", "agency"
            ),
            parent="conversation",
            parent_model=ConcernConversation,
            audit=None,
        )
    )


@transaction.atomic
def conversation_letter_pdf(*, actor, conversation: ConcernConversation) -> bytes:
    """The invitation letter of a planned conversation, as PDF bytes.

    The caller has fetched `conversation` for VIEW through the permission core
    (conversations.selectors.conversation_for). Refused with a ValidationError
    unless the conversation is planned (it has a time and a place). Audited as an
    export of the conversation, naming the young person and the invited parents.
    """
    if conversation.status != Status.PLANNED or conversation.planned_at is None:
        raise ValidationError(
            _("The letter can be made only for a planned conversation."),
            code="not_planned",
        )
    participants = _participants(actor, conversation)
    letter = letter_compose(conversation, participants)
    with translation.override("da"):
        html = render_to_string(
            "conversations/pdf/letter.html",
            {
                "letter": letter,
                "municipality": conversation.municipality.name,
                "police": _police_name(conversation),
                "written_on": dateformat.format(
                    timezone.localdate(), LETTER_DATE_FORMAT
                ),
            },
        )
    pdf = render_pdf(html)
    guardians = [
        p.person_id for p in participants if p.role == ParticipantRole.GUARDIAN
    ]
    audit_record(
        user=actor,
        action=Action.EXPORT,
        obj=conversation,
        subjects=[conversation.person_id, *guardians],
    )
    return pdf


def letter_filename(conversation: ConcernConversation) -> str:
    """A file name without names: the letter may be saved on a shared drive."""
    day = timezone.localtime(conversation.planned_at).date()
    return f"indkaldelse-{day.isoformat()}.pdf"
