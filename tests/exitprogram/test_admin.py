"""The Exit programme in the admin (issue 6, point 1): an administrator sets a
municipality's minimum age (R-EXIT-1); no case data is registered — above all not
the police mapping with its security assessment (R-EXIT-3); nobody else reaches
the settings."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from exitprogram import models
from exitprogram.models import ExitSettings

ADD = reverse("admin:exitprogram_exitsettings_add")


def test_an_administrator_sets_and_changes_the_minimum_age(personas, client_for, world):
    client = client_for(personas.admin)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, {"municipality": world.ishoej.pk, "minimum_age": 18})
    assert response.status_code == 302
    settings = ExitSettings.objects.get(municipality=world.ishoej)
    assert settings.minimum_age == 18
    change = reverse("admin:exitprogram_exitsettings_change", args=[settings.pk])
    response = client.post(change, {"municipality": world.ishoej.pk, "minimum_age": ""})
    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.minimum_age is None


def test_an_implausible_age_is_a_field_error(personas, client_for, world):
    response = client_for(personas.admin).post(
        ADD, {"municipality": world.ishoej.pk, "minimum_age": 3}
    )
    assert response.status_code == 200
    assert "minimum_age" in response.context["adminform"].form.errors
    assert not ExitSettings.objects.exists()


@pytest.mark.parametrize(
    "model",
    [
        models.PoliceMapping,
        models.ExitCase,
        models.MunicipalMapping,
        models.Clarification,
        models.Agreement,
        models.AgreementMeasure,
        models.WeeklyReport,
        models.FollowUpMeeting,
        models.MentorAssignment,
        models.MentorSession,
        models.NecNotification,
    ],
)
def test_no_case_data_is_in_the_admin(model):
    assert not admin.site.is_registered(model)
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:exitprogram_{model._meta.model_name}_changelist")


def test_the_police_mapping_is_not_on_the_admin_index(personas, client_for):
    response = client_for(personas.admin).get(reverse("admin:index"))
    assert response.status_code == 200
    assert b"exitsettings" in response.content.lower()
    assert b"policemapping" not in response.content.lower()


@pytest.mark.parametrize("who", ["ssp", "manager", "auditor"])
def test_nobody_else_reaches_the_settings(personas, client_for, who):
    response = client_for(getattr(personas, who)).get(ADD)
    assert response.status_code == 302
    assert "/login/" in response.url
