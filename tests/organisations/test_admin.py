"""Administrators administer organisations and users in the admin (foundation
issue): they hold no model permissions, so the admin classes admit them by role;
others are kept out, and no case data is there to see."""

from __future__ import annotations

from django.urls import reverse

from organisations.models import Agency, AgencyKind, Membership, Role


def test_the_administrator_manages_agencies_and_memberships(
    personas, world, client_for
):
    client = client_for(personas.admin)
    for name in ("agency", "municipality", "policedistrict", "user"):
        url = reverse(f"admin:organisations_{name}_changelist")
        assert client.get(url).status_code == 200, name
    response = client.post(
        reverse("admin:organisations_agency_add"),
        {
            "name": "Ishøj Skole",
            "kind": AgencyKind.SCHOOL,
            "municipality": world.ishoej.pk,
        },
    )
    assert response.status_code == 302
    school = Agency.objects.get(name="Ishøj Skole")
    user = personas.social
    change = reverse("admin:organisations_user_change", args=[user.pk])
    page = client.get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "password"
    }
    data.update(
        {
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(user.memberships.get().pk),
            "memberships-0-user": str(user.pk),
            "memberships-0-agency": str(world.social_ishoej.pk),
            "memberships-0-role": Role.SOCIAL_WORKER,
            "memberships-1-user": str(user.pk),
            "memberships-1-agency": str(school.pk),
            "memberships-1-role": Role.SOCIAL_WORKER,
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.filter(user=user, agency=school).exists()


def test_staff_are_deactivated_not_deleted(personas, client_for):
    client = client_for(personas.admin)
    url = reverse("admin:organisations_user_delete", args=[personas.social.pk])
    assert client.get(url).status_code == 403


def test_others_are_kept_out_and_case_data_is_not_there(personas, client_for):
    ssp = client_for(personas.ssp)
    assert ssp.get(reverse("admin:organisations_agency_changelist")).status_code == 302
    admin = client_for(personas.admin)
    assert admin.get("/admin/cases/person/").status_code == 404
