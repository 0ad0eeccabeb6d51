"""The purposes for which information may be used, exported or searched in Tværs.

R-115-3 (LAW.md B1, Retsplejeloven §115 stk. 2, 2. pkt.): information exchanged under
§115 may not be passed on for the investigation of criminal cases. There is no
"investigation" purpose anywhere in Tværs: it is not in this list, and a request
that declares it is refused (and audited as a refusal by the caller).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORBIDDEN = frozenset({"investigation", "efterforskning"})


class Purpose(models.TextChoices):
    CRIME_PREVENTION = "crime_prevention", gettext_lazy("Crime prevention")
    OWN_TASK = "own_task", gettext_lazy("The agency's own statutory task")
    DATA_SUBJECT_ACCESS = (
        "data_subject_access",
        gettext_lazy("A data subject's access request"),
    )


def purpose_check(value: str | None) -> str:
    """The declared purpose, or the default (crime prevention) when none is given.
    Refused with a field-level message for investigation and anything unknown."""
    value = (value or "").strip().lower()
    if not value:
        return Purpose.CRIME_PREVENTION
    if value in FORBIDDEN:
        raise ValidationError(
            {
                "purpose": _(
                    "Information exchanged under §115 may not be used to investigate "
                    "criminal cases (Administration of Justice Act §115 stk. 2)."
                )
            },
            code="investigation_refused",
        )
    if value not in Purpose.values:
        raise ValidationError({"purpose": _("Choose a purpose from the list.")})
    return value
