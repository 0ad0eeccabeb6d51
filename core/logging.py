"""Keep personal data out of application logs and error reports.

Log records in Tværs carry ids (UUIDs), never names or CPR numbers; this filter is the
safety net for what slips through (a third-party message quoting a value, say): it
masks anything shaped like a CPR number. Error reports never include request bodies,
POST data or local variables.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def mask_cpr(text: str) -> str:
    return CPR_PATTERN.sub("[CPR]", text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        masked = mask_cpr(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class NoPersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (e-mails to admins, DEBUG pages) without POST data or local
    variables: either may hold a citizen's name or CPR number."""

    def get_post_parameters(self, request):
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []
