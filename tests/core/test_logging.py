"""No CPR numbers in application logs or error reports."""

from __future__ import annotations

import logging

from django.test import RequestFactory

from core.logging import NoPersonalDataReporterFilter, PersonalDataFilter, mask_cpr


def test_cpr_numbers_are_masked_in_log_records():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "lookup %s", ("010203-1234",), None
    )
    PersonalDataFilter().filter(record)
    assert "1234" not in record.getMessage()
    assert mask_cpr("a 0102031234 b") == "a [CPR] b"


def test_error_reports_omit_post_data_and_locals():
    request = RequestFactory().post("/persons/new/", {"given_name": "Hemmelig"})
    reporter_filter = NoPersonalDataReporterFilter()
    assert reporter_filter.get_post_parameters(request) == {}
    assert reporter_filter.get_traceback_frame_variables(request, None) == []
